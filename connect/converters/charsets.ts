// The Java character sets StringConverter's converter.encoding names, with Java's behaviour for
// characters a set cannot hold: '?' when encoding, U+FFFD when decoding.
export interface Charset {
  readonly name: string;
  encode(text: string): Buffer;
  decode(bytes: Buffer): string;
}

function swap16(bytes: Buffer): Buffer {
  const copy = Buffer.from(bytes.subarray(0, bytes.length - (bytes.length % 2)));
  return copy.swap16();
}

function singleByte(name: string, max: number): Charset {
  return {
    name,
    encode(text) {
      const out = Buffer.alloc(text.length);
      let n = 0;
      for (const ch of text) out[n++] = (ch.codePointAt(0) as number) <= max ? (ch.codePointAt(0) as number) : 0x3f;
      return out.subarray(0, n);
    },
    decode(bytes) {
      let out = "";
      for (const b of bytes) out += b <= max ? String.fromCharCode(b) : "\ufffd";
      return out;
    },
  };
}

const UTF8: Charset = { name: "UTF-8", encode: (t) => Buffer.from(t, "utf8"), decode: (b) => b.toString("utf8") };
const UTF16LE: Charset = { name: "UTF-16LE", encode: (t) => Buffer.from(t, "utf16le"), decode: (b) => b.toString("utf16le") };
const UTF16BE: Charset = { name: "UTF-16BE", encode: (t) => Buffer.from(t, "utf16le").swap16(), decode: (b) => swap16(b).toString("utf16le") };
// Java's UTF-16 writes a big-endian byte order mark and reads either byte order by its mark.
const UTF16: Charset = {
  name: "UTF-16",
  encode: (t) => Buffer.concat([Buffer.from([0xfe, 0xff]), UTF16BE.encode(t)]),
  decode: (b) => {
    if (b.length >= 2 && b[0] === 0xff && b[1] === 0xfe) return UTF16LE.decode(b.subarray(2));
    if (b.length >= 2 && b[0] === 0xfe && b[1] === 0xff) return UTF16BE.decode(b.subarray(2));
    return UTF16BE.decode(b);
  },
};

const CHARSETS = new Map<string, Charset>();
for (const [charset, names] of [
  [UTF8, ["utf-8", "utf8", "unicode-1-1-utf-8"]],
  [UTF16, ["utf-16", "utf16", "unicode", "unicodebig"]],
  [UTF16BE, ["utf-16be", "utf_16be", "x-utf-16be", "iso-10646-ucs-2", "unicodebigunmarked"]],
  [UTF16LE, ["utf-16le", "utf_16le", "x-utf-16le", "unicodelittleunmarked"]],
  [singleByte("ISO-8859-1", 0xff), ["iso-8859-1", "iso8859-1", "iso8859_1", "iso_8859-1", "iso_8859_1", "latin1", "l1", "8859_1", "cp819", "ibm819"]],
  [singleByte("US-ASCII", 0x7f), ["us-ascii", "ascii", "us", "iso646-us", "ascii7", "646", "cp367", "ibm367", "default"]],
] as const) {
  for (const n of names) CHARSETS.set(n, charset);
}

/** The character set of a Java charset name or alias (case-insensitive), or null if unsupported. */
export function charsetForName(name: string): Charset | null {
  return CHARSETS.get(name.trim().toLowerCase()) ?? null;
}
