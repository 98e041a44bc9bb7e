// Deep equality of Connect values (Kafka compares with Objects.deepEquals / equals): what
// Struct.equals, schema default values and the tests use.
import { Decimal } from "./decimal.ts";
import { Struct } from "./struct.ts";

/**
 * Deep equality of Connect values, schemaful or schemaless: primitives by value (NaN equals NaN,
 * as Java's Double.equals), bytes by content, arrays in order, Maps and plain objects by entries
 * (in any order), Structs by schema and values, Decimals by unscaled value and scale (as Java's
 * BigDecimal.equals: 1.0 and 1.00 differ), Dates by time.
 */
export function valueEquals(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a === null || b === null || a === undefined || b === undefined) return false;
  if (typeof a !== "object" || typeof b !== "object") {
    return typeof a === "number" && typeof b === "number" && Number.isNaN(a) && Number.isNaN(b);
  }
  if (a instanceof Uint8Array) return b instanceof Uint8Array && Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(b);
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!valueEquals(a[i], b[i])) return false;
    return true;
  }
  if (a instanceof Struct) return b instanceof Struct && a.equals(b);
  if (a instanceof Decimal) return b instanceof Decimal && a.equals(b);
  if (a instanceof Date) return b instanceof Date && a.getTime() === b.getTime();
  if (a instanceof Map) return b instanceof Map && mapsEqual(a, b);
  if (b instanceof Map || b instanceof Struct || b instanceof Decimal || b instanceof Date || Array.isArray(b) || b instanceof Uint8Array) return false;
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  if (ka.length !== kb.length) return false;
  for (const k of ka) {
    if (!Object.hasOwn(b, k) || !valueEquals((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k])) return false;
  }
  return true;
}

function mapsEqual(a: Map<unknown, unknown>, b: Map<unknown, unknown>): boolean {
  if (a.size !== b.size) return false;
  for (const [k, v] of a) {
    if (b.has(k)) {
      if (!valueEquals(v, b.get(k))) return false;
      continue;
    }
    // Keys that are objects (structs, bytes) match by value, as Java's equals/hashCode do.
    let found = false;
    for (const [k2, v2] of b) {
      if (valueEquals(k, k2) && valueEquals(v, v2)) {
        found = true;
        break;
      }
    }
    if (!found) return false;
  }
  return true;
}
