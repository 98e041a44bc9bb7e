// Decode fuzzer: random and mutated frames fed to every request decoder (and, fewer, every
// response decoder) at random versions. A decoder may succeed or throw ProtocolDecodeError;
// any other exception (RangeError from Buffer, TypeError...) is a bug, and so is a decoded
// message holding more array elements than the input had bytes (an allocation driven by an
// unchecked length).
import { describe, expect, it } from "vitest";
import { messageSchemas, type MessageSchema } from "../../../../broker/protocol/generated/schema.ts";
import { ProtocolDecodeError } from "../../../../broker/protocol/primitives/errors.ts";
import { Reader } from "../../../../broker/protocol/primitives/reader.ts";
import { Writer } from "../../../../broker/protocol/primitives/writer.ts";
import { allVersions, loadCodec, randomMessage, Rng, type Codec } from "./message-gen.ts";

const SPECIAL = [0x00, 0x01, 0x7f, 0x80, 0xff, 0xfe];

function mutate(valid: Buffer, rng: Rng): Buffer {
  switch (rng.int(0, 4)) {
    case 0:
      return rng.bytes(rng.int(0, 64));
    case 1: {
      const b = Buffer.from(valid);
      const flips = rng.int(1, 4);
      for (let i = 0; i < flips && b.length > 0; i++) b[rng.int(0, b.length - 1)] = rng.chance(0.5) ? SPECIAL[rng.int(0, SPECIAL.length - 1)]! : rng.int(0, 255);
      return b;
    }
    case 2:
      return valid.subarray(0, rng.int(0, Math.max(0, valid.length - 1)));
    case 3: {
      const at = rng.int(0, valid.length);
      return Buffer.concat([valid.subarray(0, at), rng.bytes(rng.int(1, 8)), valid.subarray(at)]);
    }
    default: {
      // A length-like spot set to a huge value.
      const b = Buffer.from(valid);
      if (b.length >= 4) b.writeInt32BE(rng.chance(0.5) ? 0x7fffffff : 0x0fffffff, rng.int(0, b.length - 4));
      return b;
    }
  }
}

function countElements(v: unknown): number {
  if (Array.isArray(v)) return v.length + v.reduce((n: number, e) => n + countElements(e), 0);
  if (v !== null && typeof v === "object" && !Buffer.isBuffer(v)) {
    let n = 0;
    for (const x of Object.values(v)) n += countElements(x);
    return n;
  }
  return 0;
}

interface Target {
  schema: MessageSchema;
  codec: Codec;
  versions: number[];
}

async function fuzz(kind: "request" | "response", iterations: number, seed: number): Promise<{ failures: string[]; decoded: number; ms: number }> {
  const targets: Target[] = [];
  for (const schema of messageSchemas.filter((s) => s.kind === kind)) {
    targets.push({ schema, codec: await loadCodec(schema), versions: allVersions(schema) });
  }
  const rng = new Rng(seed);
  const failures: string[] = [];
  let decoded = 0;
  const started = performance.now();
  for (let i = 0; i < iterations; i++) {
    const t = targets[rng.int(0, targets.length - 1)]!;
    // Mostly valid versions; sometimes one the API does not have.
    const version = rng.chance(0.03) ? rng.int(-1, 40) : t.versions[rng.int(0, t.versions.length - 1)]!;
    let input: Buffer;
    if (rng.chance(0.15)) {
      input = rng.bytes(rng.int(0, 96));
    } else {
      const validVersion = t.versions.includes(version) ? version : t.versions[0]!;
      const w = new Writer();
      t.codec.encode(w, validVersion, randomMessage(t.schema, validVersion, rng));
      input = mutate(w.toBuffer(), rng);
    }
    try {
      const msg = t.codec.decode(new Reader(input), version);
      decoded++;
      const elements = countElements(msg);
      if (elements > input.length) failures.push(`${t.schema.name} v${version}: ${elements} array elements from ${input.length} bytes`);
    } catch (err) {
      if (!(err instanceof ProtocolDecodeError)) {
        failures.push(`${t.schema.name} v${version} ${input.toString("hex").slice(0, 200)}: ${String(err)}`);
      }
    }
  }
  return { failures, decoded, ms: performance.now() - started };
}

describe("decode fuzzer", () => {
  it("request decoders only ever throw ProtocolDecodeError (24,000 inputs)", async () => {
    const { failures, decoded, ms } = await fuzz("request", 24_000, 20241001);
    expect(failures.slice(0, 10)).toEqual([]);
    // Some mutations still parse (e.g. a changed integer); most must be rejected.
    expect(decoded).toBeGreaterThan(100);
    expect(decoded).toBeLessThan(24_000);
    expect(ms).toBeLessThan(10_000);
  }, 30_000);

  it("response decoders only ever throw ProtocolDecodeError (6,000 inputs)", async () => {
    const { failures } = await fuzz("response", 6_000, 7);
    expect(failures.slice(0, 10)).toEqual([]);
  }, 30_000);

  it("a huge length prefix is refused before anything is allocated", () => {
    // MetadataRequest v1: topics array claims 2^31-1 elements in a 4-byte frame.
    const r = new Reader(Buffer.from([0x7f, 0xff, 0xff, 0xff]));
    expect(() => r.arrayLength()).toThrow(ProtocolDecodeError);
    // A compact string claiming 0x7ffe bytes with 1 byte left.
    const s = new Reader(Buffer.from([0xff, 0xff, 0x01, 0x41]));
    expect(() => s.compactString()).toThrow(/longer than|needs/);
  });
});
