// Readers for PostgreSQL's text output of values: what pgoutput sends (each type's output
// function) and what a SELECT returns as text. Assumes the server defaults the replication and
// snapshot sessions run with: DateStyle ISO, IntervalStyle postgres, bytea_output hex.

/** Thrown when a value's text is not what the type's output function produces. */
export class PgTextError extends Error {
  constructor(type: string, text: string) {
    super(`Cannot read ${JSON.stringify(text.length > 80 ? `${text.slice(0, 80)}...` : text)} as PostgreSQL ${type}`);
    this.name = "PgTextError";
  }
}

export type PgArray = (string | null | PgArray)[];

/**
 * The elements of an array literal ("{1,2}", '{a,"b c",NULL}', "{{1,2},{3,4}}", "[0:1]={1,2}"):
 * strings (unquoted, escapes resolved), null for an unquoted NULL, nested arrays for more dimensions.
 */
export function parseArrayText(text: string, delimiter = ","): PgArray {
  let pos = 0;
  // Arrays with non-default lower bounds print their dimensions first: "[2:3]={a,b}".
  if (text.startsWith("[")) {
    const eq = text.indexOf("=");
    if (eq < 0) throw new PgTextError("array", text);
    pos = eq + 1;
  }
  const parseLevel = (): PgArray => {
    if (text[pos] !== "{") throw new PgTextError("array", text);
    pos++;
    const items: PgArray = [];
    if (text[pos] === "}") {
      pos++;
      return items;
    }
    for (;;) {
      while (text[pos] === " ") pos++;
      const c = text[pos];
      if (c === "{") {
        items.push(parseLevel());
      } else if (c === '"') {
        pos++;
        let value = "";
        for (;;) {
          const ch = text[pos];
          if (ch === undefined) throw new PgTextError("array", text);
          if (ch === "\\") {
            value += text[pos + 1] ?? "";
            pos += 2;
          } else if (ch === '"') {
            pos++;
            break;
          } else {
            value += ch;
            pos++;
          }
        }
        items.push(value);
      } else {
        let value = "";
        while (pos < text.length && text[pos] !== delimiter && text[pos] !== "}") {
          if (text[pos] === "\\") pos++;
          value += text[pos] ?? "";
          pos++;
        }
        value = value.trim();
        items.push(value.toUpperCase() === "NULL" ? null : value);
      }
      while (text[pos] === " ") pos++;
      if (text[pos] === delimiter) {
        pos++;
        continue;
      }
      if (text[pos] === "}") {
        pos++;
        return items;
      }
      throw new PgTextError("array", text);
    }
  };
  const result = parseLevel();
  if (pos !== text.length) throw new PgTextError("array", text);
  return result;
}

/** The pairs of an hstore's text ('"a"=>"1", "b"=>NULL'), in order. */
export function parseHstoreText(text: string): [string, string | null][] {
  const pairs: [string, string | null][] = [];
  let pos = 0;
  const skipSpaces = (): void => {
    while (text[pos] === " " || text[pos] === "\t" || text[pos] === "\n") pos++;
  };
  const readToken = (): { value: string; quoted: boolean } => {
    skipSpaces();
    if (text[pos] === '"') {
      pos++;
      let value = "";
      for (;;) {
        const ch = text[pos];
        if (ch === undefined) throw new PgTextError("hstore", text);
        if (ch === "\\") {
          value += text[pos + 1] ?? "";
          pos += 2;
        } else if (ch === '"') {
          pos++;
          return { value, quoted: true };
        } else {
          value += ch;
          pos++;
        }
      }
    }
    let value = "";
    while (pos < text.length && !/[\s,=]/.test(text[pos] as string)) value += text[pos++];
    if (value === "") throw new PgTextError("hstore", text);
    return { value, quoted: false };
  };
  skipSpaces();
  while (pos < text.length) {
    const key = readToken();
    skipSpaces();
    if (text.slice(pos, pos + 2) !== "=>") throw new PgTextError("hstore", text);
    pos += 2;
    const value = readToken();
    pairs.push([key.value, !value.quoted && value.value.toUpperCase() === "NULL" ? null : value.value]);
    skipSpaces();
    if (text[pos] === ",") pos++;
    skipSpaces();
  }
  return pairs;
}

/** bytea's hex output ("\x01ff"), or the older escape format ("a\\000b"). */
export function parseByteaText(text: string): Buffer {
  if (text.startsWith("\\x")) {
    const hex = text.slice(2);
    if (hex.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(hex)) throw new PgTextError("bytea", text);
    return Buffer.from(hex, "hex");
  }
  const bytes: number[] = [];
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    if (ch !== 0x5c) {
      bytes.push(ch);
    } else if (text[i + 1] === "\\") {
      bytes.push(0x5c);
      i++;
    } else {
      const octal = text.slice(i + 1, i + 4);
      if (!/^[0-3][0-7]{2}$/.test(octal)) throw new PgTextError("bytea", text);
      bytes.push(parseInt(octal, 8));
      i += 3;
    }
  }
  return Buffer.from(bytes);
}

// ---- dates and times -------------------------------------------------------------------------

export const MICROS_PER_SECOND = 1_000_000n;
export const MICROS_PER_DAY = 86_400_000_000n;

/** Days since 1970-01-01 of a proleptic Gregorian date (astronomical years: 1 BC is year 0). */
export function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

/** The civil date of a day number (the inverse of daysFromCivil). */
export function civilFromDays(days: number): { year: number; month: number; day: number } {
  const z = days + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  return { year: yoe + era * 400 + (month <= 2 ? 1 : 0), month, day };
}

export type Infinite = "infinity" | "-infinity";

function infinite(text: string): Infinite | null {
  return text === "infinity" || text === "-infinity" ? text : null;
}

const DATE = /^(\d{4,})-(\d{2})-(\d{2})( BC)?$/;

/** A date's days since the epoch, or "infinity"/"-infinity". */
export function parseDate(text: string): number | Infinite {
  const special = infinite(text);
  if (special !== null) return special;
  const m = DATE.exec(text);
  if (!m) throw new PgTextError("date", text);
  return dateDays(m[1] as string, m[2] as string, m[3] as string, m[4] !== undefined);
}

function dateDays(year: string, month: string, day: string, bc: boolean): number {
  const y = Number(year);
  return daysFromCivil(bc ? 1 - y : y, Number(month), Number(day));
}

const TIME = /^(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,6}))?$/;

/** "HH:MM:SS[.ffffff]" as microseconds past midnight (24:00:00 is a valid time). */
export function parseTimeMicros(text: string): bigint {
  const m = TIME.exec(text);
  if (!m) throw new PgTextError("time", text);
  return timeMicros(m[1] as string, m[2] as string, m[3] as string, m[4]);
}

function timeMicros(h: string, min: string, s: string, fraction: string | undefined): bigint {
  const seconds = BigInt(h) * 3600n + BigInt(min) * 60n + BigInt(s);
  return seconds * MICROS_PER_SECOND + BigInt((fraction ?? "").padEnd(6, "0"));
}

/** "+HH", "+HH:MM" or "+HH:MM:SS" as seconds east of UTC. */
function offsetSeconds(text: string): number {
  const sign = text.startsWith("-") ? -1 : 1;
  const [h = "0", m = "0", s = "0"] = text.slice(1).split(":");
  return sign * (Number(h) * 3600 + Number(m) * 60 + Number(s));
}

const TIMESTAMP = /^(\d{4,})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,6}))?([+-]\d{2}(?::\d{2}){0,2})?( BC)?$/;

/**
 * A timestamp's microseconds since the epoch. For timestamp (no zone) the wall-clock time read as
 * UTC, as Debezium does; for timestamptz the instant (the text carries the session's offset).
 */
export function parseTimestampMicros(text: string): bigint | Infinite {
  const special = infinite(text);
  if (special !== null) return special;
  const m = TIMESTAMP.exec(text);
  if (!m) throw new PgTextError("timestamp", text);
  const days = dateDays(m[1] as string, m[2] as string, m[3] as string, m[9] !== undefined);
  const micros = BigInt(days) * MICROS_PER_DAY + timeMicros(m[4] as string, m[5] as string, m[6] as string, m[7]);
  return m[8] === undefined ? micros : micros - BigInt(offsetSeconds(m[8])) * MICROS_PER_SECOND;
}

const TIMETZ = /^(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,6}))?([+-]\d{2}(?::\d{2}){0,2})$/;

/** A timetz as microseconds past midnight UTC (wrapped into the day) and whether it was 24:00:00 at UTC. */
export function parseTimetzMicrosUtc(text: string): bigint {
  const m = TIMETZ.exec(text);
  if (!m) throw new PgTextError("time with time zone", text);
  const local = timeMicros(m[1] as string, m[2] as string, m[3] as string, m[4]);
  const utc = local - BigInt(offsetSeconds(m[5] as string)) * MICROS_PER_SECOND;
  return ((utc % MICROS_PER_DAY) + MICROS_PER_DAY) % MICROS_PER_DAY;
}

export interface IntervalParts {
  years: number;
  months: number;
  days: number;
  hours: number;
  minutes: number;
  /** Seconds with their fraction, as the text has them (sign included). */
  seconds: string;
}

const INTERVAL_UNIT = /^(-?\d+) (year|years|mon|mons|day|days)$/;
const INTERVAL_TIME = /^([+-])?(\d+):(\d{2}):(\d{2}(?:\.\d+)?)$/;

/** IntervalStyle postgres output: "1 year 2 mons -3 days 04:05:06.789", "-00:00:01", "00:00:00". */
export function parseInterval(text: string): IntervalParts {
  const parts: IntervalParts = { years: 0, months: 0, days: 0, hours: 0, minutes: 0, seconds: "0" };
  const tokens = text.trim().split(/\s+/);
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i] as string;
    const time = INTERVAL_TIME.exec(token);
    if (time) {
      const sign = time[1] === "-" ? -1 : 1;
      parts.hours = sign * Number(time[2]);
      parts.minutes = sign * Number(time[3]);
      const seconds = (time[4] as string).replace(/^0(\d)/, "$1");
      parts.seconds = sign < 0 && !/^0(\.0*)?$/.test(seconds) ? `-${seconds}` : seconds;
      continue;
    }
    const unit = INTERVAL_UNIT.exec(`${token} ${tokens[i + 1] ?? ""}`);
    if (!unit) throw new PgTextError("interval", text);
    i++;
    const n = Number(unit[1]);
    if (unit[2]?.startsWith("year")) parts.years = n;
    else if (unit[2]?.startsWith("mon")) parts.months = n;
    else parts.days = n;
  }
  return parts;
}
