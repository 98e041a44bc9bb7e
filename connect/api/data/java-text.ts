// Numbers and dates written as Java writes them, because Kafka's data formats (JsonConverter's
// payloads, SimpleHeaderConverter's header text, Cast's strings) are Java's toString()s, and
// records must come out byte for byte the same as in Kafka Connect.

/**
 * Java's Double.toString(d): "1.0", "0.001", "1.0E7", "1.2345E-5", "NaN", "-Infinity".
 * Follows the JDK 19+ specification (shortest digits that round-trip, as JavaScript's own
 * number-to-string). JDK 17 and older print a few values with one more digit (1.0E23 as
 * 9.999999999999999E22): there the bytes differ, the values do not.
 */
export function javaDoubleToString(value: number): string {
  if (!Number.isFinite(value)) return Number.isNaN(value) ? "NaN" : value > 0 ? "Infinity" : "-Infinity";
  if (value === 0) return Object.is(value, -0) ? "-0.0" : "0.0";
  return layout(value, shortestDigits(value, (d) => d));
}

/** Java's Float.toString(f) for a float32 value (a number that Math.fround leaves unchanged). */
export function javaFloatToString(value: number): string {
  if (!Number.isFinite(value)) return Number.isNaN(value) ? "NaN" : value > 0 ? "Infinity" : "-Infinity";
  if (value === 0) return Object.is(value, -0) ? "-0.0" : "0.0";
  return layout(value, shortestDigits(value, Math.fround));
}

interface Digits {
  /** Significant decimal digits, no leading or trailing zeros (but at least one digit). */
  digits: string;
  /** Decimal exponent of the first digit: value = 0.d1d2... × 10^(exponent + 1). */
  exponent: number;
}

function parseExponential(text: string): Digits {
  // toExponential/toPrecision output: "-1.2345e+5"
  const [mantissa = "", exp = "0"] = (text.startsWith("-") ? text.slice(1) : text).split("e");
  const digits = mantissa.replace(".", "").replace(/0+$/, "") || "0";
  return { digits, exponent: Number(exp) };
}

/**
 * The shortest digits that read back as the same value (for floats: the same float32), and
 * when that is one digit, the closest of the one- or two-digit decimals (JDK 19's rule, which
 * prints the smallest double as 4.9E-324 rather than 5.0E-324).
 */
function shortestDigits(value: number, round: (d: number) => number): Digits {
  let best: Digits | null = null;
  if (round === Math.fround) {
    for (let p = 1; p <= 9; p++) {
      const text = value.toExponential(p - 1);
      if (round(Number(text)) === value) {
        best = parseExponential(text);
        break;
      }
    }
  }
  best ??= parseExponential(value.toExponential());
  if (best.digits.length === 1) {
    const two = parseExponential(value.toExponential(1));
    if (round(Number(value.toExponential(1))) === value) best = two;
  }
  return best;
}

/** Java's layout: plain for 10^-3 <= |v| < 10^7, else computerized scientific notation. */
function layout(value: number, { digits, exponent }: Digits): string {
  const sign = value < 0 ? "-" : "";
  if (exponent >= -3 && exponent < 7) {
    if (exponent < 0) return `${sign}0.${"0".repeat(-exponent - 1)}${digits}`;
    const intPart = digits.slice(0, exponent + 1).padEnd(exponent + 1, "0");
    const fraction = digits.slice(exponent + 1) || "0";
    return `${sign}${intPart}.${fraction}`;
  }
  const fraction = digits.slice(1) || "0";
  return `${sign}${digits[0]}.${fraction}E${exponent}`;
}

const pad = (n: number, width: number): string => String(n).padStart(width, "0");

/** "2024-01-02": Kafka's ISO 8601 date text (UTC). */
export function formatIsoDate(date: Date): string {
  return `${pad(date.getUTCFullYear(), 4)}-${pad(date.getUTCMonth() + 1, 2)}-${pad(date.getUTCDate(), 2)}`;
}

/** "12:34:56.789Z": Kafka's ISO 8601 time text (UTC). */
export function formatIsoTime(date: Date): string {
  return `${pad(date.getUTCHours(), 2)}:${pad(date.getUTCMinutes(), 2)}:${pad(date.getUTCSeconds(), 2)}.${pad(date.getUTCMilliseconds(), 3)}Z`;
}

/** "2024-01-02T12:34:56.789Z": Kafka's ISO 8601 timestamp text (UTC). */
export function formatIsoTimestamp(date: Date): string {
  return `${formatIsoDate(date)}T${formatIsoTime(date)}`;
}
