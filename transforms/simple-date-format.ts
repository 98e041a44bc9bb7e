// The numeric subset of java.text.SimpleDateFormat patterns, in UTC, for TimestampRouter and
// TimestampConverter: letters y M d H m s S and quoted literals ('T', '' for a quote). Other
// letters (names of months or days, time zones, am/pm ...) are refused.
type Piece = string | { letter: string; width: number };

const FIELDS: Record<string, (d: Date) => number> = {
  y: (d) => d.getUTCFullYear(),
  M: (d) => d.getUTCMonth() + 1,
  d: (d) => d.getUTCDate(),
  H: (d) => d.getUTCHours(),
  m: (d) => d.getUTCMinutes(),
  s: (d) => d.getUTCSeconds(),
  S: (d) => d.getUTCMilliseconds(),
};

function compile(pattern: string): Piece[] {
  const pieces: Piece[] = [];
  let i = 0;
  while (i < pattern.length) {
    const c = pattern[i]!;
    if (c === "'") {
      const end = pattern.indexOf("'", i + 1);
      if (end < 0) throw new Error(`Unterminated quote in pattern: ${pattern}`);
      pieces.push(end === i + 1 ? "'" : pattern.slice(i + 1, end));
      i = end + 1;
    } else if (/[A-Za-z]/.test(c)) {
      let n = 1;
      while (pattern[i + n] === c) n++;
      if (!FIELDS[c]) throw new Error(`Unsupported pattern letter '${c}' in ${pattern}`);
      pieces.push({ letter: c, width: n });
      i += n;
    } else {
      pieces.push(c);
      i++;
    }
  }
  return pieces;
}

/** A formatter for the pattern (throws on unsupported patterns). */
export function simpleDateFormat(pattern: string): (d: Date) => string {
  const pieces = compile(pattern);
  return (d) =>
    pieces
      .map((p) => {
        if (typeof p === "string") return p;
        const v = FIELDS[p.letter]!(d);
        // "yy" is the two-digit year; otherwise the count is a minimum width.
        return p.letter === "y" && p.width === 2 ? String(v % 100).padStart(2, "0") : String(v).padStart(p.width, "0");
      })
      .join("");
}

/** A parser for the pattern: the UTC instant the text describes, or an error. */
export function simpleDateParse(pattern: string): (text: string) => Date {
  const pieces = compile(pattern);
  // A number next to another number (as in yyyyMMdd) takes exactly its width, else any digits.
  const source = pieces
    .map((p, i) => {
      if (typeof p === "string") return p.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
      const next = pieces[i + 1];
      return next !== undefined && typeof next !== "string" ? `(\\d{${p.width}})` : "(\\d+)";
    })
    .join("");
  const re = new RegExp(`^${source}`);
  const letters = pieces.filter((p): p is { letter: string; width: number } => typeof p !== "string").map((p) => p.letter);
  return (text) => {
    const m = re.exec(text);
    if (!m) throw new Error(`Unparseable date: "${text}"`);
    const f: Record<string, number> = { y: 1970, M: 1, d: 1, H: 0, m: 0, s: 0, S: 0 };
    letters.forEach((l, i) => (f[l] = Number(m[i + 1])));
    const date = new Date(0);
    date.setUTCFullYear(f["y"]!, f["M"]! - 1, f["d"]!);
    date.setUTCHours(f["H"]!, f["m"]!, f["s"]!, f["S"]!);
    return date;
  };
}
