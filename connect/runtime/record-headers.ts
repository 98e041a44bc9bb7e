// Kafka record headers between the SDK's form (an ordered list of { key, value: Buffer | null },
// repeated keys allowed) and kafkajs' (an object whose repeated keys hold arrays). kafkajs
// writes an object's keys in their enumeration order, so headers with repeated keys come out
// grouped by key (a, b, a is written a, a, b); keys that look like array indices ("0", "1")
// enumerate first; and a null header value is written as an empty one (kafkajs cannot write a
// null header value) — limits of kafkajs' header API.
import type { IHeaders } from "kafkajs";
import type { RecordHeader } from "../api/index.ts";

const EMPTY = Buffer.alloc(0);

export function toKafkajsHeaders(headers: readonly RecordHeader[]): IHeaders | undefined {
  if (headers.length === 0) return undefined;
  const out: Record<string, Buffer | Buffer[]> = Object.create(null) as Record<string, Buffer | Buffer[]>;
  const seen = new Set<string>();
  for (const { key, value } of headers) {
    const v = value ?? EMPTY;
    if (!seen.has(key)) {
      seen.add(key);
      out[key] = v;
    } else {
      const current = out[key];
      out[key] = Array.isArray(current) ? [...current, v] : [current as Buffer, v];
    }
  }
  return out as IHeaders;
}

export function fromKafkajsHeaders(headers: IHeaders | undefined): RecordHeader[] {
  if (!headers) return [];
  const out: RecordHeader[] = [];
  for (const key of Object.keys(headers)) {
    const value = headers[key];
    const values = Array.isArray(value) ? value : [value];
    for (const v of values) out.push({ key, value: v === undefined || v === null ? null : Buffer.isBuffer(v) ? v : Buffer.from(v) });
  }
  return out;
}
