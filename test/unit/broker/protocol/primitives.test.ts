import { describe, expect, it } from "vitest";
import { ProtocolDecodeError, ProtocolEncodeError } from "../../../../broker/protocol/primitives/errors.ts";
import { EMPTY_BYTES, Reader, ZERO_UUID } from "../../../../broker/protocol/primitives/reader.ts";
import { sizeOfUvarint, Writer, ZERO_COPY_MIN } from "../../../../broker/protocol/primitives/writer.ts";

function written(fn: (w: Writer) => void): Buffer {
  const w = new Writer(16);
  fn(w);
  return w.toBuffer();
}

describe("Reader and Writer", () => {
  it("fixed-width integers, floats and booleans round-trip at their limits", () => {
    const b = written((w) => {
      w.int8(-128);
      w.int8(127);
      w.int16(-32768);
      w.uint16(65535);
      w.int32(-2147483648);
      w.uint32(4294967295);
      w.int64(-(2n ** 63n));
      w.int64(2n ** 63n - 1n);
      w.float64(-1.5e300);
      w.bool(true);
      w.bool(false);
    });
    expect(b.length).toBe(1 + 1 + 2 + 2 + 4 + 4 + 8 + 8 + 8 + 2);
    const r = new Reader(b);
    expect([r.int8(), r.int8(), r.int16(), r.uint16(), r.int32(), r.uint32()]).toEqual([-128, 127, -32768, 65535, -2147483648, 4294967295]);
    expect([r.int64(), r.int64()]).toEqual([-(2n ** 63n), 2n ** 63n - 1n]);
    expect([r.float64(), r.bool(), r.bool()]).toEqual([-1.5e300, true, false]);
    expect(r.remaining).toBe(0);
  });

  it("unsigned varints use the minimal LEB128 form", () => {
    const cases: [number, string][] = [
      [0, "00"],
      [1, "01"],
      [127, "7f"],
      [128, "8001"],
      [300, "ac02"],
      [16383, "ff7f"],
      [16384, "808001"],
      [4294967295, "ffffffff0f"],
    ];
    for (const [v, hex] of cases) {
      expect(written((w) => w.uvarint(v)).toString("hex")).toBe(hex);
      expect(new Reader(Buffer.from(hex, "hex")).uvarint()).toBe(v);
      expect(sizeOfUvarint(v)).toBe(hex.length / 2);
    }
    expect(() => new Writer().uvarint(-1)).toThrow(ProtocolEncodeError);
  });

  it("rejects varints that are too long or cut short", () => {
    expect(() => new Reader(Buffer.from("ffffffff1f", "hex")).uvarint()).toThrow(ProtocolDecodeError);
    expect(() => new Reader(Buffer.from("ffffffffff01", "hex")).uvarint()).toThrow(ProtocolDecodeError);
    expect(() => new Reader(Buffer.from("8080", "hex")).uvarint()).toThrow(ProtocolDecodeError);
  });

  it("zigzag varint and varlong", () => {
    const ints = [0, -1, 1, -2, 2147483647, -2147483648];
    const hexes = ["00", "01", "02", "03", "feffffff0f", "ffffffff0f"];
    ints.forEach((v, i) => {
      expect(written((w) => w.varint(v)).toString("hex")).toBe(hexes[i]);
      expect(new Reader(Buffer.from(hexes[i]!, "hex")).varint()).toBe(v);
    });
    for (const v of [0n, -1n, 1n, 1234567890123n, -(2n ** 63n), 2n ** 63n - 1n]) {
      const b = written((w) => w.varlong(v));
      expect(new Reader(b).varlong()).toBe(v);
    }
    expect(written((w) => w.varlong(-(2n ** 63n))).toString("hex")).toBe("ffffffffffffffffff01");
  });

  it("strings: classic (int16) and compact (uvarint + 1), nullable or not, UTF-8", () => {
    expect(written((w) => w.string("héllo")).toString("hex")).toBe("000668c3a96c6c6f");
    expect(written((w) => w.compactString("héllo")).toString("hex")).toBe("0768c3a96c6c6f");
    expect(written((w) => w.nullableString(null)).toString("hex")).toBe("ffff");
    expect(written((w) => w.compactNullableString(null)).toString("hex")).toBe("00");
    const long = "ü".repeat(200); // 400 bytes: a two-byte compact prefix
    const b = written((w) => w.compactString(long));
    expect(b.subarray(0, 2).toString("hex")).toBe("9103");
    expect(new Reader(b).compactString()).toBe(long);
    expect(new Reader(Buffer.from("ffff", "hex")).nullableString()).toBeNull();
    expect(() => new Reader(Buffer.from("ffff", "hex")).string()).toThrow(ProtocolDecodeError);
    expect(() => new Reader(Buffer.from("00", "hex")).compactString()).toThrow(ProtocolDecodeError);
    expect(() => new Writer().string("x".repeat(0x8000))).toThrow(ProtocolEncodeError);
  });

  it("bytes are zero-copy views on decode", () => {
    const frame = Buffer.from("00000003aabbcc04ddeeff", "hex");
    const r = new Reader(frame);
    const a = r.bytes();
    const c = r.compactBytes();
    expect(a.toString("hex")).toBe("aabbcc");
    expect(c.toString("hex")).toBe("ddeeff");
    frame[4] = 0x11;
    expect(a[0]).toBe(0x11);
    expect(new Reader(Buffer.from("ffffffff", "hex")).nullableBytes()).toBeNull();
    expect(EMPTY_BYTES.length).toBe(0);
  });

  it("uuids are 22-character base64url strings", () => {
    const raw = Buffer.from("00112233445566778899aabbccddeeff", "hex");
    const id = new Reader(raw).uuid();
    expect(id).toBe(raw.toString("base64url"));
    expect(id).toHaveLength(22);
    expect(written((w) => w.uuid(id)).equals(raw)).toBe(true);
    expect(new Reader(Buffer.alloc(16)).uuid()).toBe(ZERO_UUID);
    expect(() => new Writer().uuid("not-a-uuid")).toThrow(ProtocolEncodeError);
  });

  it("every read is bounds-checked and fails with ProtocolDecodeError", () => {
    const empty = new Reader(Buffer.alloc(0));
    for (const read of [
      () => empty.int8(),
      () => empty.int16(),
      () => empty.int32(),
      () => empty.int64(),
      () => empty.float64(),
      () => empty.uuid(),
      () => empty.bool(),
      () => empty.uvarint(),
    ]) {
      expect(read).toThrow(ProtocolDecodeError);
    }
    // A length prefix larger than what is left fails before any allocation.
    expect(() => new Reader(Buffer.from("7fffffff00", "hex")).bytes()).toThrow(/needs 2147483647 bytes, 1 left/);
    expect(() => new Reader(Buffer.from("00000005000000", "hex")).arrayLength()).toThrow(/array of 5 elements/);
    expect(() => new Reader(Buffer.from("0600", "hex")).compactArrayLength()).toThrow(ProtocolDecodeError);
    // A reader over a window of a bigger buffer stops at the window's end.
    const windowed = new Reader(Buffer.from("0001020304", "hex"), 1, 3);
    expect(windowed.int16()).toBe(0x0102);
    expect(() => windowed.int8()).toThrow(ProtocolDecodeError);
  });

  it("tagged-field sections: unknown fields are kept raw, sizes are checked", () => {
    const section = Buffer.from("02 01 02 aabb 07 00".replace(/ /g, ""), "hex");
    const fields = new Reader(section).unknownTaggedFields();
    expect(fields).toEqual([
      { tag: 1, data: Buffer.from("aabb", "hex") },
      { tag: 7, data: Buffer.alloc(0) },
    ]);
    expect(written((w) => w.taggedFields(fields)).equals(section)).toBe(true);
    expect(written((w) => w.taggedFields(undefined)).toString("hex")).toBe("00");
    expect(() => new Reader(Buffer.from("010105aa", "hex")).unknownTaggedFields()).toThrow(ProtocolDecodeError);
  });

  it("large payloads are chunks of their own; small ones are copied", () => {
    const big = Buffer.alloc(ZERO_COPY_MIN, 1);
    const small = Buffer.alloc(10, 2);
    const w = new Writer();
    w.int32(big.length);
    w.raw(big);
    w.raw(small);
    w.int8(3);
    const chunks = w.toChunks();
    expect(chunks).toHaveLength(3);
    expect(chunks[1]).toBe(big);
    expect(chunks[2]!.equals(Buffer.concat([small, Buffer.from([3])]))).toBe(true);
    expect(w.length).toBe(4 + big.length + 11);
    expect(w.toBuffer().length).toBe(w.length);
  });

  it("grows across many segments without losing or reordering bytes", () => {
    const w = new Writer(16);
    for (let i = 0; i < 100_000; i++) w.int32(i);
    const b = w.toBuffer();
    expect(b.length).toBe(400_000);
    const r = new Reader(b);
    for (let i = 0; i < 100_000; i++) if (r.int32() !== i) throw new Error(`bad value at ${i}`);
  });

  it("a reserved size prefix is patched after the body, even across segments and big chunks", () => {
    const w = new Writer(16);
    const slot = w.reserveInt32();
    w.string("a body that does not fit in the first segment");
    w.bytes(Buffer.alloc(ZERO_COPY_MIN * 2, 9));
    w.int64(1n);
    w.patchSizeSince(slot);
    const frame = w.toBuffer();
    expect(frame.readInt32BE(0)).toBe(frame.length - 4);
    const nested = new Writer(16);
    nested.int8(1);
    const inner = nested.reserveInt32();
    nested.int16(7);
    nested.patchInt32(inner, 123);
    expect(nested.toBuffer().toString("hex")).toBe("01" + "0000007b" + "0007");
  });

  it("append moves another writer's output, by reference when large", () => {
    const a = new Writer();
    a.int8(1);
    const b = new Writer();
    const big = Buffer.alloc(ZERO_COPY_MIN, 5);
    b.raw(big);
    a.append(b);
    const small = new Writer();
    small.int16(2);
    a.append(small);
    expect(a.toChunks()).toContain(big);
    expect(a.toBuffer().length).toBe(1 + big.length + 2);
    expect(a.toBuffer().subarray(-2).toString("hex")).toBe("0002");
  });
});
