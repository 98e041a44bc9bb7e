// Java's renderings of floating-point numbers, which end up in the schema texts Confluent returns
// (Jackson writes a double with Double.toString): `1.0`, `1.0E10`, `1.0E-4`, `-0.0`. Digits are
// the shortest that read back to the same value, as JavaScript's and Java's (JDK 19+) both are.

/** Java's `Double.toString(d)`. */
export function javaDoubleToString(d: number): string {
  if (Number.isNaN(d)) return "NaN";
  if (d === Infinity) return "Infinity";
  if (d === -Infinity) return "-Infinity";
  if (d === 0) return Object.is(d, -0) ? "-0.0" : "0.0";
  return formatJava(d, atLeastTwoDigits(d, d.toExponential(), (x) => x));
}

/**
 * Java writes at least two significant digits: where one digit identifies the value, it takes
 * the two-digit decimal closest to it (4.9E-324, not 5.0E-324), which `toExponential(1)` gives.
 */
function atLeastTwoDigits(value: number, shortest: string, round: (x: number) => number): string {
  if (/^-?\de/.test(shortest)) {
    const two = value.toExponential(1);
    if (round(Number(two)) === value) return two;
  }
  return shortest;
}

/** Java's `Float.toString(f)` for a value already rounded to a float. */
export function javaFloatToString(f: number): string {
  if (Number.isNaN(f)) return "NaN";
  if (f === Infinity) return "Infinity";
  if (f === -Infinity) return "-Infinity";
  if (f === 0) return Object.is(f, -0) ? "-0.0" : "0.0";
  // The shortest decimal that rounds to the same float.
  for (let digits = 1; digits <= 9; digits++) {
    const candidate = f.toExponential(digits - 1);
    if (Math.fround(Number(candidate)) === f) return formatJava(f, atLeastTwoDigits(f, candidate, Math.fround));
  }
  return formatJava(f, f.toExponential(8));
}

/**
 * Formats `value` from its shortest exponential form (`1.5e-7`) the way Java does: plain decimal
 * with at least one fraction digit when 10^-3 <= |value| < 10^7, else `1.5E-7`.
 */
function formatJava(value: number, exponential: string): string {
  const m = /^(-?)(\d)(?:\.(\d+))?e([+-]\d+)$/.exec(exponential);
  if (!m) return String(value);
  const sign = m[1] ?? "";
  // Trailing zeros go (2.0E-3 is written 0.002); one digit always stays.
  const digits = ((m[2] ?? "") + (m[3] ?? "")).replace(/(?<=.)0+$/, "");
  const exponent = Number(m[4]);
  const abs = Math.abs(value);
  if (abs >= 1e-3 && abs < 1e7) {
    if (exponent >= 0) {
      const intPart = digits.slice(0, exponent + 1).padEnd(exponent + 1, "0");
      const frac = digits.slice(exponent + 1);
      return `${sign}${intPart}.${frac === "" ? "0" : frac}`;
    }
    return `${sign}0.${"0".repeat(-exponent - 1)}${digits}`;
  }
  const frac = digits.slice(1);
  return `${sign}${digits[0]}.${frac === "" ? "0" : frac}E${exponent}`;
}

/**
 * Java's `Double.valueOf(String)` (Avro applies it to a string default of a float or double
 * field): surrounding whitespace ignored, an optional f/F/d/D suffix, NaN and Infinity. Throws
 * with Java's message when the text is not a number.
 */
export function parseJavaDouble(text: string): number {
  // Java trims characters <= U+0020.
  // eslint-disable-next-line no-control-regex
  const s = text.replace(/^[\u0000-\u0020]+|[\u0000-\u0020]+$/g, "");
  const special = /^([+-]?)(NaN|Infinity)$/.exec(s);
  if (special) {
    if (special[2] === "NaN") return NaN;
    return special[1] === "-" ? -Infinity : Infinity;
  }
  if (/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?[fFdD]?$/.test(s)) return Number(s.replace(/[fFdD]$/, ""));
  const hex = /^([+-]?)0[xX]([0-9a-fA-F]*)(?:\.([0-9a-fA-F]*))?[pP]([+-]?\d+)[fFdD]?$/.exec(s);
  if (hex && ((hex[2] ?? "") !== "" || (hex[3] ?? "") !== "")) {
    const intDigits = hex[2] ?? "";
    const fracDigits = hex[3] ?? "";
    const mantissa = parseInt(intDigits + fracDigits || "0", 16);
    const value = mantissa * 2 ** (Number(hex[4]) - 4 * fracDigits.length);
    return hex[1] === "-" ? -value : value;
  }
  throw new Error(s === "" ? "empty String" : `For input string: "${text}"`);
}
