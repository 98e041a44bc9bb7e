// Round trips through the generated codecs: a random message encoded at a version decodes to
// the same values for the fields of that version (and to defaults for the others), consumes
// exactly the bytes written, and re-encodes to the same bytes.
import { describe, expect, it } from "vitest";
import { messageSchemas, type MessageSchema } from "../../../../broker/protocol/generated/schema.ts";
import { Reader } from "../../../../broker/protocol/primitives/reader.ts";
import { Writer } from "../../../../broker/protocol/primitives/writer.ts";
import { allVersions, expectedDecode, loadCodec, randomMessage, Rng, schemaByName } from "./message-gen.ts";

const REPRESENTATIVE = ["Produce", "Fetch", "Metadata", "ApiVersions", "JoinGroup", "SyncGroup", "OffsetCommit", "OffsetFetch", "CreateTopics", "DescribeConfigs", "InitProducerId"];

async function roundTrips(schema: MessageSchema, iterations: number, seed: number): Promise<number> {
  const codec = await loadCodec(schema);
  const rng = new Rng(seed);
  let checked = 0;
  for (const version of allVersions(schema)) {
    for (let i = 0; i < iterations; i++) {
      const msg = randomMessage(schema, version, rng);
      const w = new Writer();
      codec.encode(w, version, msg);
      const bytes = w.toBuffer();
      const r = new Reader(bytes);
      const decoded = codec.decode(r, version);
      const where = `${schema.name} v${version} #${i}`;
      expect(decoded, where).toEqual(expectedDecode(schema, version, msg));
      expect(r.remaining, `${where}: bytes left over`).toBe(0);
      const again = new Writer(16);
      codec.encode(again, version, decoded);
      expect(again.toBuffer().equals(bytes), `${where}: re-encoding differs`).toBe(true);
      checked++;
    }
  }
  return checked;
}

describe("round trips of the representative APIs at every version", () => {
  for (const api of REPRESENTATIVE) {
    for (const side of ["Request", "Response"]) {
      it(`${api}${side}`, async () => {
        const schema = schemaByName(`${api}${side}`);
        const checked = await roundTrips(schema, 25, api.length * 7919 + side.length);
        expect(checked).toBe(allVersions(schema).length * 25);
      });
    }
  }
});

describe("round trips of every other generated definition", () => {
  const rest = messageSchemas.filter((s) => !REPRESENTATIVE.some((api) => s.name === `${api}Request` || s.name === `${api}Response`));
  it(`covers all ${messageSchemas.length} definitions`, () => {
    expect(rest.length + REPRESENTATIVE.length * 2).toBe(messageSchemas.length);
  });
  for (const schema of rest) {
    it(schema.name, async () => {
      await roundTrips(schema, 6, schema.name.length * 104729);
    });
  }
});

describe("fields the representative messages must carry", () => {
  it("ProduceRequest keeps the transactional id from v3 and the records bytes without copying", async () => {
    const schema = schemaByName("ProduceRequest");
    const codec = await loadCodec(schema);
    const records = Buffer.alloc(10_000, 7);
    const msg = {
      transactionalId: "tx-1",
      acks: -1,
      timeoutMs: 30_000,
      topicData: [{ name: "orders", partitionData: [{ index: 0, records }] }],
    };
    for (const version of allVersions(schema)) {
      const w = new Writer();
      codec.encode(w, version, msg);
      // The big payload is one chunk of its own, the very same memory.
      expect(w.toChunks().some((c) => c === records)).toBe(true);
      const frame = w.toBuffer();
      const decoded = codec.decode(new Reader(frame), version) as typeof msg;
      expect(decoded.transactionalId).toBe(version >= 3 ? "tx-1" : null);
      const got = decoded.topicData[0]!.partitionData[0]!.records;
      expect(got.equals(records)).toBe(true);
      // Decoding is zero-copy too: the records are a view into the frame.
      expect(got.buffer).toBe(frame.buffer);
    }
  });

  it("FetchResponse carries the tagged CurrentLeader only from v12, and only when set", async () => {
    const schema = schemaByName("FetchResponse");
    const codec = await loadCodec(schema);
    const partition = (leaderId: number) => ({
      partitionIndex: 0,
      errorCode: 6,
      highWatermark: 10n,
      lastStableOffset: 10n,
      logStartOffset: 0n,
      divergingEpoch: { epoch: -1, endOffset: -1n },
      currentLeader: { leaderId, leaderEpoch: leaderId === -1 ? -1 : 3 },
      snapshotId: { endOffset: -1n, epoch: -1 },
      abortedTransactions: null,
      preferredReadReplica: -1,
      records: null,
    });
    const msg = (leaderId: number) => ({
      throttleTimeMs: 0,
      errorCode: 0,
      sessionId: 0,
      responses: [{ topic: "t", topicId: "AAAAAAAAAAAAAAAAAAAAAA", partitions: [partition(leaderId)] }],
      nodeEndpoints: [],
    });
    const size = (version: number, leaderId: number) => {
      const w = new Writer();
      codec.encode(w, version, msg(leaderId));
      return w.length;
    };
    // The tagged field costs tag (1) + size (1) + two int32 + the struct's empty tag section (1).
    expect(size(12, 1) - size(12, -1)).toBe(11);
    expect(size(11, 1)).toBe(size(11, -1));
    const w = new Writer();
    codec.encode(w, 12, msg(1));
    const decoded = codec.decode(new Reader(w.toBuffer()), 12) as ReturnType<typeof msg>;
    expect(decoded.responses[0]!.partitions[0]!.currentLeader).toEqual({ leaderId: 1, leaderEpoch: 3 });
  });
});
