// Wire fuzzer: at least 100,000 random and mutated request frames sent to the hub's broker over
// many connections. Templates are valid requests of every API and version the broker
// advertises (random messages from the generated schema table, real record batches for
// Produce), then mutated: bytes flipped, cut, inserted, length-like fields set huge, sizes
// lied about; plus random bytes with and without a plausible header. The broker may answer or
// close a connection (the fuzzer reconnects); it must never crash, log an internal error,
// leak memory without bound, or stop answering well-formed requests.
//
// A frame counts as delivered when the broker provably read it: it was answered (its
// correlation id came back, or a later one did: responses keep request order), or it was the
// oldest unanswered frame when the broker closed the connection.
import { existsSync, mkdtempSync } from "node:fs";
import { runInNewContext } from "node:vm";
import { setFlagsFromString } from "node:v8";
import { connect, type Socket } from "node:net";
import { Kafka, logLevel } from "kafkajs";
import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { encodeRequestHeader, requestHeaderVersion } from "../../../broker/protocol/generated/index.ts";
import { messageSchemas, type MessageSchema } from "../../../broker/protocol/generated/schema.ts";
import { Writer } from "../../../broker/protocol/primitives/writer.ts";
import { encodeProduceRequest, type ProduceRequestTopicProduceData } from "../../../broker/protocol/generated/produce-request.ts";
import { buildBatch, type NewRecord } from "../../../broker/protocol/records/records.ts";
import { startHubBroker, type HubBrokerHandle } from "../../support/hub-broker.ts";
import { RawKafkaSocket } from "../../support/raw-kafka-socket.ts";
import { loadCodec, randomMessage, Rng, versionRange, type Codec, type Msg } from "../../unit/broker/protocol/message-gen.ts";

const SEED = Number(process.env.HUB_FUZZ_SEED ?? 0x5eed2026);
const TARGET_FRAMES = 100_000;
// A safety cap, not the expected time (15-30 s alone; CI runs it beside other files on 2 cores).
const TIME_BUDGET_MS = 150_000;
const WORKERS = 32;
/** Frames written but not yet known to be read, per connection. */
const WINDOW = 16;
/** A connection with unanswered frames and no progress for this long is abandoned (a long poll, or a frame the broker still waits to complete). */
const STALL_MS = 150;
/** The topic names message-gen draws strings from, made to exist so that requests reach real partitions. */
const SEEDED_TOPICS = ["a", "orders", "topic-with-a-long-name.v1", "x".repeat(130)];

interface Template {
  apiKey: number;
  version: number;
  schema: MessageSchema;
  codec: Codec;
}

/** Keeps waits short so that long polls and group joins do not stall the fuzzer (mutations may still undo it). */
function tame(msg: Msg, rng: Rng): Msg {
  for (const key of ["maxWaitMs", "timeoutMs"]) if (typeof msg[key] === "number") msg[key] = rng.int(0, 20);
  for (const key of ["sessionTimeoutMs", "rebalanceTimeoutMs"]) if (typeof msg[key] === "number") msg[key] = rng.int(-1, 400);
  return msg;
}

function frameOf(apiKey: number, version: number, correlationId: number, encodeBody: (w: Writer) => void): Buffer {
  const w = new Writer(256);
  const size = w.reserveInt32();
  encodeRequestHeader(w, requestHeaderVersion(apiKey, version), { requestApiKey: apiKey, requestApiVersion: version, correlationId, clientId: "fuzz" });
  encodeBody(w);
  w.patchSizeSince(size);
  return w.toBuffer();
}

const SPECIAL = [0x00, 0x01, 0x7f, 0x80, 0xff, 0xfe];

/** Mutates a frame's body (after the size prefix) and fixes the size prefix up. */
function mutateBody(frame: Buffer, rng: Rng): Buffer {
  let body = Buffer.from(frame.subarray(4));
  const rounds = rng.int(1, 3);
  for (let i = 0; i < rounds; i++) {
    switch (rng.int(0, 5)) {
      case 0: {
        const flips = rng.int(1, 4);
        for (let j = 0; j < flips && body.length > 0; j++) body[rng.int(0, body.length - 1)] = rng.chance(0.5) ? SPECIAL[rng.int(0, SPECIAL.length - 1)]! : rng.int(0, 255);
        break;
      }
      case 1:
        body = body.subarray(0, rng.int(0, Math.max(0, body.length - 1)));
        break;
      case 2: {
        const at = rng.int(0, body.length);
        body = Buffer.concat([body.subarray(0, at), rng.bytes(rng.int(1, 16)), body.subarray(at)]);
        break;
      }
      case 3:
        // A length-like spot set to a huge or negative value.
        if (body.length >= 12) body.writeInt32BE([0x7fffffff, 0x0fffffff, -2, 0x10000][rng.int(0, 3)]!, rng.int(8, body.length - 4));
        break;
      case 4: {
        // A varint-ish byte (compact lengths in flexible versions).
        if (body.length > 10) body[rng.int(10, body.length - 1)] = rng.chance(0.5) ? 0xff : 0x80;
        break;
      }
      default: {
        const from = rng.int(0, body.length);
        const len = rng.int(0, Math.min(64, body.length - from));
        body = Buffer.concat([body, body.subarray(from, from + len)]);
      }
    }
  }
  const out = Buffer.allocUnsafe(4 + body.length);
  out.writeInt32BE(body.length, 0);
  body.copy(out, 4);
  return out;
}

interface Generated {
  frame: Buffer;
  /** May close the connection or leave the broker waiting: sent alone, with nothing else in flight. */
  risky: boolean;
}

class FrameSource {
  private readonly rng: Rng;
  private readonly templates: Template[];
  private correlationId = 1;
  constructor(rng: Rng, templates: Template[]) {
    this.rng = rng;
    this.templates = templates;
  }

  next(): Generated {
    const rng = this.rng;
    const cid = this.correlationId++ & 0x7fffffff;
    const roll = rng.next();
    if (roll < 0.4) return { frame: this.valid(cid), risky: false };
    if (roll < 0.75) return { frame: mutateBody(this.valid(cid), rng), risky: true };
    if (roll < 0.85) {
      const produce = this.produce(cid);
      return rng.chance(0.5) ? { frame: produce, risky: false } : { frame: this.mutateBatch(produce), risky: true };
    }
    if (roll < 0.92) {
      // A plausible header (a served API and version) and a random body.
      const t = this.templates[rng.int(0, this.templates.length - 1)]!;
      return { frame: frameOf(t.apiKey, t.version, cid, (w) => w.raw(rng.bytes(rng.int(0, 120)))), risky: true };
    }
    if (roll < 0.97) {
      const body = rng.bytes(rng.int(0, 200));
      const frame = Buffer.allocUnsafe(4 + body.length);
      frame.writeInt32BE(body.length, 0);
      body.copy(frame, 4);
      return { frame, risky: true };
    }
    if (roll < 0.99) {
      // A size prefix that lies: negative, huge, or longer than what follows.
      const frame = this.valid(cid);
      frame.writeInt32BE([-1, 0x7fffffff, frame.length + rng.int(1, 100), 0, rng.int(0, 7)][rng.int(0, 4)]!, 0);
      return { frame, risky: true };
    }
    return { frame: rng.chance(0.5) ? Buffer.from("GET /metrics HTTP/1.1\r\n\r\n") : rng.bytes(rng.int(1, 64)), risky: true };
  }

  private valid(cid: number): Buffer {
    const t = this.templates[this.rng.int(0, this.templates.length - 1)]!;
    const msg = tame(randomMessage(t.schema, t.version, this.rng), this.rng);
    return frameOf(t.apiKey, t.version, cid, (w) => t.codec.encode(w, t.version, msg));
  }

  /** A well-formed Produce with real batches (some compressed) to the seeded topics. */
  private produce(cid: number): Buffer {
    const rng = this.rng;
    const version = rng.int(3, 11);
    const topicData: ProduceRequestTopicProduceData[] = [];
    for (let t = rng.int(1, 2); t > 0; t--) {
      const partitionData: ProduceRequestTopicProduceData["partitionData"] = [];
      for (let p = rng.int(1, 3); p > 0; p--) {
        const records: NewRecord[] = [];
        for (let r = rng.int(1, 5); r > 0; r--) records.push({ key: rng.chance(0.5) ? null : rng.bytes(rng.int(0, 16)), value: rng.bytes(rng.int(0, 200)) });
        partitionData.push({ index: rng.int(0, 3), records: buildBatch(records, { compression: rng.int(0, 4) }) });
      }
      topicData.push({ name: SEEDED_TOPICS[rng.int(0, SEEDED_TOPICS.length - 1)]!, partitionData });
    }
    const acks = [1, -1, 1, -1, 0][rng.int(0, 4)]!;
    return frameOf(0, version, cid, (w) => encodeProduceRequest(w, version, { transactionalId: null, acks, timeoutMs: 1000, topicData }));
  }

  /** Damages a record batch inside a Produce frame: header fields, CRC-covered bytes, lengths. */
  private mutateBatch(frame: Buffer): Buffer {
    const rng = this.rng;
    const out = Buffer.from(frame);
    // Record batches start with a base offset; aim somewhere after the request header.
    const at = rng.int(Math.min(20, out.length - 1), out.length - 1);
    const n = rng.int(1, 3);
    for (let i = 0; i < n; i++) out[Math.min(out.length - 1, at + rng.int(0, 70))] = rng.int(0, 255);
    return out;
  }
}

let nextSentinelId = -1;
/** ApiVersions v0: the cheapest request every version of the broker answers. */
function sentinelFrame(correlationId: number): Buffer {
  return frameOf(18, 0, correlationId, () => {});
}

interface Stats {
  delivered: number;
  answered: number;
  closedByBroker: number;
  stalls: number;
  connections: number;
}

/** One connection at a time: sends frames with a window, tracks what the broker provably read. */
async function runWorker(port: number, source: FrameSource, stats: Stats, done: () => boolean): Promise<void> {
  while (!done()) {
    stats.connections++;
    await new Promise<void>((resolveConnection) => {
      const socket: Socket = connect({ port, host: "127.0.0.1" });
      socket.setNoDelay(true);
      // Correlation ids (-1 when the frame has none) of frames written and not yet known to be read.
      const outstanding: Array<{ cid: number; fuzz: boolean }> = [];
      let pending: Buffer = Buffer.alloc(0);
      let closed = false;
      let barrier = false;
      let lastProgress = Date.now();
      const finish = (): void => {
        if (closed) return;
        closed = true;
        clearInterval(stallTimer);
        resolveConnection();
      };
      const pump = (): void => {
        while (!closed && !done() && !barrier && outstanding.length < WINDOW) {
          const { frame, risky } = source.next();
          if (risky && outstanding.length > 0) {
            // Sent once everything before it is accounted for; a sentinel makes sure that
            // happens even if the last frame gets no answer (a Produce with acks=0).
            barrier = true;
            queued = frame;
            if (outstanding[outstanding.length - 1]?.fuzz) sendSentinel();
            return;
          }
          send(frame, risky);
        }
        if (done() && outstanding.length === 0 && !closed) socket.destroy();
      };
      let queued: Buffer | undefined;
      const send = (frame: Buffer, risky: boolean): void => {
        outstanding.push({ cid: frame.length >= 12 ? frame.readInt32BE(8) : -1, fuzz: true });
        socket.write(frame);
        if (risky) {
          barrier = true;
          // A well-formed request right behind it: its answer proves the risky frame was read
          // even when that frame gets no answer of its own.
          sendSentinel();
        }
      };
      const sendSentinel = (): void => {
        const id = nextSentinelId--;
        outstanding.push({ cid: id, fuzz: false });
        socket.write(sentinelFrame(id));
      };
      const progress = (): void => {
        lastProgress = Date.now();
        if (outstanding.length === 0 && barrier) {
          barrier = false;
          if (queued) {
            const frame = queued;
            queued = undefined;
            send(frame, true);
            return;
          }
        }
        pump();
      };
      socket.on("connect", pump);
      socket.on("data", (chunk: Buffer) => {
        pending = pending.length === 0 ? chunk : Buffer.concat([pending, chunk]);
        while (pending.length >= 8) {
          const size = pending.readInt32BE(0);
          if (pending.length < 4 + size) break;
          const cid = pending.readInt32BE(4);
          pending = pending.subarray(4 + size);
          stats.answered++;
          const index = outstanding.findIndex((o) => o.cid === cid);
          // Responses keep request order: everything up to the answered frame was read.
          for (const o of outstanding.splice(0, index >= 0 ? index + 1 : 1)) if (o.fuzz) stats.delivered++;
        }
        progress();
      });
      socket.on("error", () => {});
      socket.on("close", () => {
        if (outstanding[0]?.fuzz && !done()) {
          // The oldest unanswered frame is the one the broker refused (or a response-less one before it).
          stats.delivered++;
          stats.closedByBroker++;
        }
        finish();
      });
      const stallTimer = setInterval(() => {
        if (outstanding.length > 0 && Date.now() - lastProgress > STALL_MS) {
          stats.stalls++;
          outstanding.length = 0;
          socket.destroy();
        }
      }, 50);
    });
  }
}

describe("broker wire fuzzing", () => {
  let hub: HubBrokerHandle;
  const internalErrors: string[] = [];
  const processErrors: unknown[] = [];
  const onProcessError = (err: unknown): void => {
    processErrors.push(err);
  };

  beforeAll(async () => {
    process.on("uncaughtException", onProcessError);
    process.on("unhandledRejection", onProcessError);
    // Error-level broker logs ("request handler failed") are bugs even when nothing crashes.
    const log = pino({ level: "error" }, { write: (line: string) => void internalErrors.push(summarizeLogLine(line)) });
    hub = await startHubBroker({
      log,
      // Topic creation and deletion fsync (as they must); on tmpfs that costs nothing, so the
      // fuzzer's time goes to the protocol paths rather than to the disk.
      ...(existsSync("/dev/shm") ? { dataDir: mkdtempSync("/dev/shm/hub-fuzz-") } : {}),
      overrides: { "group.initial.rebalance.delay.ms": "0", "group.min.session.timeout.ms": "10", "num.partitions": "2" },
    });
    const admin = new Kafka({ clientId: "fuzz-setup", brokers: [hub.bootstrap], logLevel: logLevel.NOTHING }).admin();
    await admin.connect();
    await admin.createTopics({ topics: SEEDED_TOPICS.map((topic) => ({ topic, numPartitions: 4 })) });
    await admin.disconnect();
  });

  afterAll(async () => {
    process.off("uncaughtException", onProcessError);
    process.off("unhandledRejection", onProcessError);
    await hub?.destroy();
  });

  it(`survives ${TARGET_FRAMES} random and mutated frames without crashing or leaking`, { timeout: TIME_BUDGET_MS + 30_000 }, async () => {
    // Templates: every API and version the broker advertises.
    const probe = await RawKafkaSocket.connect(hub.port);
    const advertised = await probe.request(18, 3, { clientSoftwareName: "fuzz", clientSoftwareVersion: "1" });
    probe.destroy();
    const templates: Template[] = [];
    for (const api of advertised.apiKeys) {
      const schema = messageSchemas.find((s) => s.kind === "request" && s.apiKey === api.apiKey);
      if (!schema) continue;
      const codec = await loadCodec(schema);
      const [min, max] = versionRange(schema.validVersions);
      for (let v = Math.max(min, api.minVersion); v <= Math.min(max, api.maxVersion); v++) templates.push({ apiKey: api.apiKey, version: v, schema, codec });
    }
    expect(templates.length).toBeGreaterThan(100);

    const gc = exposeGc();
    const source = new FrameSource(new Rng(SEED), templates);
    const stats: Stats = { delivered: 0, answered: 0, closedByBroker: 0, stalls: 0, connections: 0 };
    const started = Date.now();
    const done = (): boolean => stats.delivered >= TARGET_FRAMES || Date.now() - started > TIME_BUDGET_MS;

    // The baseline is taken after a fifth of the frames: by then the JIT, the first topics and
    // groups and V8's heap have reached their working size (RSS keeps the heap's high-water
    // mark), so what grows after it is what the frames leave behind.
    const warmupDone = (): boolean => stats.delivered >= TARGET_FRAMES / 5 || Date.now() - started > TIME_BUDGET_MS;
    await Promise.all(Array.from({ length: WORKERS }, () => runWorker(hub.port, source, stats, warmupDone)));
    gc();
    const before = process.memoryUsage();
    await Promise.all(Array.from({ length: WORKERS }, () => runWorker(hub.port, source, stats, done)));
    const elapsedMs = Date.now() - started;
    gc();
    const after = process.memoryUsage();
    const mb = (n: number): string => (n / 1048576).toFixed(1);
    console.log(
      `fuzz: ${stats.delivered} frames delivered in ${(elapsedMs / 1000).toFixed(1)} s (${Math.round(stats.delivered / (elapsedMs / 1000))}/s) over ${stats.connections} connections; ` +
        `${stats.answered} answered, ${stats.closedByBroker} closed by the broker, ${stats.stalls} stalled; ` +
        `rss ${mb(before.rss)} -> ${mb(after.rss)} MB, heap ${mb(before.heapUsed)} -> ${mb(after.heapUsed)} MB (seed ${SEED})`,
    );

    expect(processErrors).toEqual([]);
    expect([...new Set(internalErrors)]).toEqual([]);
    expect(stats.delivered).toBeGreaterThanOrEqual(TARGET_FRAMES);
    // After a forced GC the heap is back to its baseline within a few MB; 100 MB would take
    // a leak of more than 2 KB per connection opened.
    expect(after.heapUsed - before.heapUsed).toBeLessThan(100 * 1048576);
    expect(after.rss - before.rss).toBeLessThan(200 * 1048576);

    // Still serving: a raw well-formed request, and a real client producing and consuming.
    const check = await RawKafkaSocket.connect(hub.port);
    expect((await check.request(18, 3, { clientSoftwareName: "fuzz", clientSoftwareVersion: "1" })).errorCode).toBe(0);
    check.destroy();
    const kafka = new Kafka({ clientId: "fuzz-after", brokers: [hub.bootstrap], logLevel: logLevel.NOTHING });
    const producer = kafka.producer();
    await producer.connect();
    await producer.send({ topic: "after-fuzz", messages: [{ key: "k", value: "still here" }] });
    await producer.disconnect();
    const consumer = kafka.consumer({ groupId: "after-fuzz" });
    await consumer.connect();
    await consumer.subscribe({ topic: "after-fuzz", fromBeginning: true });
    const value = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error("no message consumed within 20 s")), 20_000);
      void consumer.run({
        eachMessage: async ({ message }) => {
          clearTimeout(timer);
          resolve(message.value?.toString() ?? "");
        },
      });
    });
    await consumer.disconnect();
    expect(value).toBe("still here");
    expect(internalErrors).toEqual([]);
  });
});

/** global.gc when the flag can be turned on at run time (vitest workers do not start with --expose-gc). */
function exposeGc(): () => void {
  try {
    setFlagsFromString("--expose-gc");
    const gc = runInNewContext("gc") as unknown;
    if (typeof gc === "function") return () => (gc as () => void)();
  } catch {
    // fall through
  }
  return () => {};
}

/** "message (first broker stack frame)" of an error-level log line, so that repeats collapse. */
function summarizeLogLine(line: string): string {
  try {
    const entry = JSON.parse(line) as { msg?: string; err?: { message?: string; stack?: string } };
    const frame = entry.err?.stack?.split("\n").find((l) => l.includes("/broker/") && !l.includes("/primitives/"))?.trim();
    return `${entry.msg ?? ""}: ${entry.err?.message ?? ""} ${frame ?? ""}`;
  } catch {
    return line;
  }
}
