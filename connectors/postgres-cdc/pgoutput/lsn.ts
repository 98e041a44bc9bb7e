// PostgreSQL log sequence numbers: 64-bit WAL positions, written by Postgres as two hex halves "X/Y".
// Kept as bigint so positions past 2^53 (long-lived, busy servers) compare and add exactly.

/** An LSN as Postgres prints it: high and low 32-bit halves in upper-case hex, e.g. "16/B374D848". */
export function formatLsn(lsn: bigint): string {
  if (lsn < 0n || lsn > 0xffff_ffff_ffff_ffffn) throw new RangeError(`LSN out of the 64-bit range: ${lsn}`);
  const high = lsn >> 32n;
  const low = lsn & 0xffff_ffffn;
  return `${high.toString(16).toUpperCase()}/${low.toString(16).toUpperCase()}`;
}

/** Parses Postgres' "X/Y" text form (each half 1-8 hex digits, either case). */
export function parseLsn(text: string): bigint {
  const match = /^([0-9A-Fa-f]{1,8})\/([0-9A-Fa-f]{1,8})$/.exec(text);
  if (match === null) throw new Error(`not a PostgreSQL LSN (expected X/Y in hex): ${JSON.stringify(text)}`);
  return (BigInt(`0x${match[1]}`) << 32n) | BigInt(`0x${match[2]}`);
}

/** Postgres timestamps count microseconds from 2000-01-01 00:00:00 UTC. */
const POSTGRES_EPOCH_UNIX_MICROS = 946_684_800_000_000n;

/** A pgoutput TimestampTz (microseconds since 2000-01-01) as a JavaScript Date (millisecond precision). */
export function postgresTimestampToDate(micros: bigint): Date {
  return new Date(Number((micros + POSTGRES_EPOCH_UNIX_MICROS) / 1000n));
}
