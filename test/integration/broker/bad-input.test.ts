// Bad input on raw sockets: truncated frames, wrong sizes, unknown APIs and versions, garbage,
// oversized requests and corrupt record batches. Each case runs against the hub's broker and
// against Apache Kafka (the compatibility rule: the same bytes must get the same treatment),
// and after each one a fresh connection, a connection opened before the bad input and a real
// client (kafkajs) must all still be served.
import { Kafka, logLevel, type Admin } from "kafkajs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { defaultFetchRequest, defaultFetchRequestFetchPartition, defaultFetchRequestFetchTopic } from "../../../broker/protocol/generated/fetch-request.ts";
import { defaultApiVersionsRequest } from "../../../broker/protocol/generated/api-versions-request.ts";
import { decodeApiVersionsResponse } from "../../../broker/protocol/generated/api-versions-response.ts";
import { ErrorCode } from "../../../broker/protocol/generated/errors.ts";
import { encodeProduceRequest, type ProduceRequest } from "../../../broker/protocol/generated/produce-request.ts";
import { decodeProduceResponse } from "../../../broker/protocol/generated/produce-response.ts";
import { encodeRequestHeader, requestHeaderVersion } from "../../../broker/protocol/generated/index.ts";
import { Reader, ZERO_UUID } from "../../../broker/protocol/primitives/reader.ts";
import { Writer } from "../../../broker/protocol/primitives/writer.ts";
import { buildBatch } from "../../../broker/protocol/records/records.ts";
import { BROKER_TARGETS, openBrokerTarget, type BrokerTarget } from "../../support/broker-targets.ts";
import { startHubBroker, type HubBrokerHandle } from "../../support/hub-broker.ts";
import { decodeResponseFrame, encodeRequestFrame, RawKafkaSocket } from "../../support/raw-kafka-socket.ts";

const portOf = (bootstrap: string): number => Number(bootstrap.slice(bootstrap.lastIndexOf(":") + 1));

function sizePrefixed(size: number, body: Buffer = Buffer.alloc(0)): Buffer {
  const prefix = Buffer.alloc(4);
  prefix.writeInt32BE(size | 0);
  return Buffer.concat([prefix, body]);
}

/** A request header v1 (non-flexible: api key, version, correlation id, null client id) as a whole frame. */
function headerOnlyFrame(apiKey: number, version: number, correlationId = 7): Buffer {
  const body = Buffer.alloc(10);
  body.writeInt16BE(apiKey, 0);
  body.writeInt16BE(version, 2);
  body.writeInt32BE(correlationId, 4);
  body.writeInt16BE(-1, 8);
  return sizePrefixed(body.length, body);
}

/** The same with a v2 header (tagged fields after the client id), as a flexible version has. */
function flexibleHeaderOnlyFrame(apiKey: number, version: number, correlationId = 9): Buffer {
  return sizePrefixed(11, Buffer.concat([headerOnlyFrame(apiKey, version, correlationId).subarray(4), Buffer.from([0])]));
}

const API_VERSIONS_V3 = { ...defaultApiVersionsRequest(), clientSoftwareName: "bad-input-test", clientSoftwareVersion: "1.0" };

function produceFrame(version: number, correlationId: number, topic: string, partitions: Array<Buffer | null>): Buffer {
  const request: ProduceRequest = {
    transactionalId: null,
    acks: -1,
    timeoutMs: 10_000,
    topicData: [{ name: topic, partitionData: partitions.map((records, index) => ({ index, records })) }],
  };
  const w = new Writer(256);
  const size = w.reserveInt32();
  encodeRequestHeader(w, requestHeaderVersion(0, version), { requestApiKey: 0, requestApiVersion: version, correlationId, clientId: "bad-input-test" });
  encodeProduceRequest(w, version, request);
  w.patchSizeSince(size);
  return w.toBuffer();
}

/** Produces records[i] to partition i; returns the partitions' results in partition order. */
async function produce(port: number, version: number, topic: string, partitions: Array<Buffer | null>): Promise<Array<{ errorCode: number; baseOffset: bigint }>> {
  const socket = await RawKafkaSocket.connect(port);
  try {
    socket.write(produceFrame(version, 42, topic, partitions));
    const frame = await socket.nextFrame(10_000);
    const r = new Reader(frame);
    expect(r.int32()).toBe(42);
    if (version >= 9) r.unknownTaggedFields();
    const response = decodeProduceResponse(r, version);
    // By partition: Kafka does not keep the request's order in the response.
    return [...(response.responses[0]?.partitionResponses ?? [])].sort((a, b) => a.index - b.index).map((p) => ({ errorCode: p.errorCode, baseOffset: p.baseOffset }));
  } finally {
    socket.destroy();
  }
}

describe.each(BROKER_TARGETS)("bad input against %s", (targetName) => {
  let target: BrokerTarget;
  let port: number;
  let admin: Admin;
  let bystander: RawKafkaSocket;
  let topic: string;

  beforeAll(async () => {
    target = await openBrokerTarget(targetName);
    port = portOf(target.bootstrap);
    topic = `bad-input${target.suffix}`;
    admin = new Kafka({ clientId: "bad-input-admin", brokers: [target.bootstrap], logLevel: logLevel.NOTHING }).admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic, numPartitions: 2 }] });
    bystander = await RawKafkaSocket.connect(port);
  });

  afterAll(async () => {
    bystander?.destroy();
    if (targetName === "kafka") await admin?.deleteTopics({ topics: [topic] }).catch(() => {});
    await admin?.disconnect();
    await target?.close();
  });

  /** Everyone else is still served: a new connection, one opened before the bad input, and kafkajs. */
  async function expectStillServing(): Promise<void> {
    const fresh = await RawKafkaSocket.connect(port);
    const versions = await fresh.request(18, 3, API_VERSIONS_V3);
    fresh.destroy();
    expect(versions.errorCode).toBe(ErrorCode.NONE);
    expect(versions.apiKeys.map((a) => a.apiKey)).toEqual(expect.arrayContaining([0, 1, 3, 18]));
    const metadata = await bystander.request(3, 12, { topics: [{ topicId: ZERO_UUID, name: topic }], allowAutoTopicCreation: false, includeClusterAuthorizedOperations: false, includeTopicAuthorizedOperations: false });
    expect(metadata.topics.map((t) => [t.name, t.errorCode, t.partitions.length])).toEqual([[topic, ErrorCode.NONE, 2]]);
    expect(await admin.listTopics()).toContain(topic);
  }

  /** Sends the bytes on a new connection and expects the broker to close it without answering. */
  async function expectClosedWithoutAnswer(...writes: Buffer[]): Promise<void> {
    const socket = await RawKafkaSocket.connect(port);
    for (const bytes of writes) socket.write(bytes);
    expect(await socket.closedWithin(5000)).toBe(true);
    await expect(socket.nextFrame(0)).rejects.toThrow(/closed/);
  }

  it("keeps serving after clients send truncated frames and disconnect", async () => {
    const valid = encodeRequestFrame(3, 12, 1, { topics: null, allowAutoTopicCreation: false, includeClusterAuthorizedOperations: false, includeTopicAuthorizedOperations: false });
    const cuts = [
      sizePrefixed(100, Buffer.alloc(10, 1)), // the size says 100, 10 bytes follow
      Buffer.from([0, 0]), // half a size prefix
      valid.subarray(0, Math.floor(valid.length / 2)), // a real request cut in the middle
    ];
    for (const bytes of cuts) {
      const socket = await RawKafkaSocket.connect(port);
      socket.write(bytes);
      // An incomplete frame is neither answered nor a reason to close: the broker waits for the rest.
      expect(await socket.closedWithin(200)).toBe(false);
      socket.socket.end();
      await socket.closed;
    }
    await expectStillServing();
  });

  it("reassembles a request that arrives a few bytes at a time", async () => {
    const socket = await RawKafkaSocket.connect(port);
    const frame = encodeRequestFrame(18, 3, 77, API_VERSIONS_V3);
    for (let at = 0; at < frame.length; at += 3) {
      socket.write(frame.subarray(at, at + 3));
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
    const response = await socket.nextFrame();
    expect(response.readInt32BE(0)).toBe(77);
    expect(decodeApiVersionsResponse(new Reader(response, 4), 3).errorCode).toBe(ErrorCode.NONE);
    socket.destroy();
  });

  it("answers a long-polling fetch on another connection while a client misbehaves", async () => {
    const fetcher = await RawKafkaSocket.connect(port);
    const offsets = await admin.fetchTopicOffsets(topic);
    const end = BigInt(offsets.find((p) => p.partition === 1)?.high ?? "0");
    const fetch = {
      ...defaultFetchRequest(),
      replicaId: -1,
      maxWaitMs: 10_000,
      minBytes: 1,
      maxBytes: 1 << 20,
      topics: [{ ...defaultFetchRequestFetchTopic(), topic, partitions: [{ ...defaultFetchRequestFetchPartition(), partition: 1, fetchOffset: end, partitionMaxBytes: 1 << 20 }] }],
    };
    fetcher.write(encodeRequestFrame(1, 12, 5, fetch));
    await expectClosedWithoutAnswer(headerOnlyFrame(999, 0));
    await expectClosedWithoutAnswer(sizePrefixed(-1));
    expect(await fetcher.closedWithin(100)).toBe(false);
    const wakeUp = buildBatch([{ key: null, value: Buffer.from("wake up") }]);
    const [, appended] = await produce(port, 9, topic, [buildBatch([{ key: null, value: Buffer.from("p0") }]), wakeUp]);
    expect(appended?.errorCode).toBe(ErrorCode.NONE);
    const answer = decodeResponseFrame(1, 12, await fetcher.nextFrame(10_000));
    expect(answer.correlationId).toBe(5);
    const partition = answer.body.responses[0]?.partitions[0];
    expect(partition?.errorCode).toBe(ErrorCode.NONE);
    expect(partition?.records?.length ?? 0).toBeGreaterThan(0);
    fetcher.destroy();
    await expectStillServing();
  });

  it("closes the connection on sizes that cannot frame a request", async () => {
    await expectClosedWithoutAnswer(sizePrefixed(-1));
    await expectClosedWithoutAnswer(sizePrefixed(0x80000000));
    await expectClosedWithoutAnswer(sizePrefixed(0)); // an empty request has no header
    await expectClosedWithoutAnswer(sizePrefixed(4, Buffer.from([0, 18, 0, 3]))); // half a header
    await expectClosedWithoutAnswer(sizePrefixed(7, Buffer.from([0, 18, 0, 3, 0, 0, 0])));
    // A size two bytes short of the request it frames: the broker reads a truncated request.
    const metadata = encodeRequestFrame(3, 12, 3, { topics: [{ topicId: ZERO_UUID, name: topic }], allowAutoTopicCreation: false, includeClusterAuthorizedOperations: false, includeTopicAuthorizedOperations: false });
    const short = Buffer.from(metadata.subarray(0, metadata.length - 2));
    short.writeInt32BE(short.length - 4, 0);
    await expectClosedWithoutAnswer(short);
    await expectStillServing();
  });

  it("closes the connection on unknown API keys", async () => {
    for (const apiKey of [999, -1, 0x7fff, 4 /* LeaderAndIsr: ZooKeeper-era, served by no Kafka 4 broker */]) {
      await expectClosedWithoutAnswer(headerOnlyFrame(apiKey, 0));
    }
    await expectStillServing();
  });

  it("closes the connection on unsupported versions of an API other than ApiVersions", async () => {
    await expectClosedWithoutAnswer(headerOnlyFrame(3, 99)); // Metadata v99
    await expectClosedWithoutAnswer(headerOnlyFrame(3, -1));
    await expectClosedWithoutAnswer(headerOnlyFrame(0, 2)); // Produce v2: removed in Kafka 4
    await expectStillServing();
  });

  it("answers an unsupported ApiVersions version with UNSUPPORTED_VERSION and its own range in a v0 body", async () => {
    const socket = await RawKafkaSocket.connect(port);
    const supported = await socket.request(18, 3, API_VERSIONS_V3);
    const own = supported.apiKeys.find((a) => a.apiKey === 18);
    expect(own).toBeDefined();
    for (const [frame, correlationId] of [[flexibleHeaderOnlyFrame(18, 99, 31), 31], [headerOnlyFrame(18, -1, 32), 32]] as const) {
      socket.write(frame);
      const response = await socket.nextFrame();
      // Response header v0, ApiVersions v0 body: error code, then (key, min, max) triples.
      expect(response.readInt32BE(0)).toBe(correlationId);
      const body = decodeApiVersionsResponse(new Reader(response, 4), 0);
      expect(body.errorCode).toBe(ErrorCode.UNSUPPORTED_VERSION);
      expect(body.apiKeys.map((a) => ({ apiKey: a.apiKey, minVersion: a.minVersion, maxVersion: a.maxVersion }))).toEqual([
        { apiKey: 18, minVersion: own?.minVersion, maxVersion: own?.maxVersion },
      ]);
    }
    // The connection stays open so that the client can retry with a version we speak.
    const retried = await socket.request(18, 0, defaultApiVersionsRequest());
    expect(retried.errorCode).toBe(ErrorCode.NONE);
    socket.destroy();
    // A v99 request is still parsed with a flexible (v2) header: without its tagged fields it is malformed.
    await expectClosedWithoutAnswer(headerOnlyFrame(18, 99));
    await expectStillServing();
  });

  it("closes the connection on garbage", async () => {
    await expectClosedWithoutAnswer(Buffer.from("GET /metrics HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"));
    // The start of a TLS ClientHello: a PLAINTEXT listener reads 0x16030100.. as a size.
    await expectClosedWithoutAnswer(Buffer.from("16030100c4010000c00303", "hex"));
    // A frame of plausible size whose header names no API.
    const random = Buffer.alloc(64);
    for (let i = 0; i < random.length; i++) random[i] = (i * 151 + 7) & 0xff;
    random.writeInt16BE(0x7f7f, 0);
    await expectClosedWithoutAnswer(sizePrefixed(random.length, random));
    // A good header with a body that cannot be decoded (an array of 2^32-1 elements).
    await expectClosedWithoutAnswer(sizePrefixed(18, Buffer.concat([headerOnlyFrame(3, 4).subarray(4), Buffer.from([0x7f, 0xff, 0xff, 0xff, 1, 2, 3, 4])])));
    await expectStillServing();
  });

  it("answers the good request before closing on garbage that follows it", async () => {
    const socket = await RawKafkaSocket.connect(port);
    socket.write(Buffer.concat([encodeRequestFrame(18, 3, 11, API_VERSIONS_V3), headerOnlyFrame(999, 0, 12)]));
    const response = await socket.nextFrame();
    expect(response.readInt32BE(0)).toBe(11);
    expect(await socket.closedWithin(5000)).toBe(true);
    await expectStillServing();
  });

  it("refuses topic ids in Metadata v10-11 with INVALID_REQUEST, and looks them up from v12 (found by the fuzzer)", async () => {
    const socket = await RawKafkaSocket.connect(port);
    const metadata = async (version: number, topics: Array<{ topicId: string; name: string | null }>) =>
      (await socket.request(3, version, { topics, allowAutoTopicCreation: false, includeClusterAuthorizedOperations: false, includeTopicAuthorizedOperations: false })).topics.map((t) => [
        t.name, t.topicId, t.errorCode, t.partitions.length,
      ]);
    const unknownId = "AAAAAAAAAAAAAAAAAAAAAQ";
    const [[, topicId]] = (await metadata(12, [{ topicId: ZERO_UUID, name: topic }])) as [[string, string]];
    expect(topicId).not.toBe(ZERO_UUID);
    for (const version of [10, 11]) {
      expect(await metadata(version, [{ topicId: ZERO_UUID, name: null }])).toEqual([["", ZERO_UUID, ErrorCode.INVALID_REQUEST, 0]]);
      expect(await metadata(version, [{ topicId: ZERO_UUID, name: topic }, { topicId, name: topic }])).toEqual([
        [topic, ZERO_UUID, ErrorCode.INVALID_REQUEST, 0],
        [topic, topicId, ErrorCode.INVALID_REQUEST, 0],
      ]);
    }
    expect(await metadata(12, [{ topicId, name: null }])).toEqual([[topic, topicId, ErrorCode.NONE, 2]]);
    expect(await metadata(12, [{ topicId: unknownId, name: null }])).toEqual([[null, unknownId, ErrorCode.UNKNOWN_TOPIC_ID, 0]]);
    // The id wins over the name.
    expect(await metadata(12, [{ topicId: unknownId, name: topic }])).toEqual([[null, unknownId, ErrorCode.UNKNOWN_TOPIC_ID, 0]]);
    socket.destroy();
    await expectStillServing();
  });

  it("refuses to create more than 10,000 partitions in one request (found by the fuzzer: it blocked the broker)", async () => {
    const socket = await RawKafkaSocket.connect(port);
    const creatable = (name: string, numPartitions: number) => ({ name, numPartitions, replicationFactor: -1, assignments: [], configs: [] });
    for (const validateOnly of [true, false]) {
      const response = await socket.request(19, 7, {
        topics: [creatable(`huge-a${target.suffix}`, 6000), creatable(`huge-b${target.suffix}`, 5000), creatable(`small${target.suffix}`, 2)],
        timeoutMs: 10_000,
        validateOnly,
      });
      expect(response.topics.map((t) => [t.errorCode, t.errorMessage])).toEqual(Array(3).fill([ErrorCode.POLICY_VIOLATION, "Excessively large number of partitions per request."]));
      const max = await socket.request(19, 7, { topics: [creatable(`max${target.suffix}`, 0x7fffffff)], timeoutMs: 10_000, validateOnly });
      expect(max.topics[0]?.errorCode).toBe(ErrorCode.POLICY_VIOLATION);
    }
    // Kafka 4.3 answers UNKNOWN_SERVER_ERROR here (its per-operation record limit trips); the
    // hub names the policy. Validate-only and just over the limit: Apache Kafka 4.3.1 itself
    // dies of OutOfMemoryError on CreatePartitions with a count of 2^31-1, so only the hub
    // gets that one.
    const grow = await socket.request(37, 3, { topics: [{ name: topic, count: 2 + 10_001, assignments: null }], timeoutMs: 10_000, validateOnly: true });
    expect(grow.results[0]?.errorCode).toBe(targetName === "hub" ? ErrorCode.POLICY_VIOLATION : ErrorCode.UNKNOWN_SERVER_ERROR);
    if (targetName === "hub") {
      const huge = await socket.request(37, 3, { topics: [{ name: topic, count: 0x7fffffff, assignments: null }], timeoutMs: 10_000, validateOnly: false });
      expect(huge.results.map((r) => [r.errorCode, r.errorMessage])).toEqual([[ErrorCode.POLICY_VIOLATION, "Unable to perform excessively large batch operation."]]);
    }
    socket.destroy();
    await expectStillServing();
  });

  it("answers a batch with a bad CRC with CORRUPT_MESSAGE for its partition alone", async () => {
    const before = await admin.fetchTopicOffsets(topic);
    const high = (p: number, offsets = before): bigint => BigInt(offsets.find((o) => o.partition === p)?.high ?? "-1");
    for (const version of [3, 7, 9, 11]) {
      const good = buildBatch([{ key: Buffer.from("k"), value: Buffer.from(`good v${version}`) }]);
      for (const at of ["last", 17 /* the CRC itself */, 21 /* attributes, covered by the CRC */] as const) {
        const bad = Buffer.from(buildBatch([{ key: Buffer.from("k"), value: Buffer.from(`bad v${version}`) }]));
        const index = at === "last" ? bad.length - 1 : at;
        bad[index] = (bad[index] as number) ^ 0x5a;
        const results = await produce(port, version, topic, [bad, good]);
        expect(results.map((r) => r.errorCode), `Produce v${version}, byte ${at} flipped`).toEqual([ErrorCode.CORRUPT_MESSAGE, ErrorCode.NONE]);
      }
    }
    const after = await admin.fetchTopicOffsets(topic);
    expect(high(0, after)).toBe(high(0));
    expect(high(1, after)).toBe(high(1) + 12n);
    await expectStillServing();
  });

  it("rejects records that are not exactly one complete magic-2 batch as Kafka does", async () => {
    const good = buildBatch([{ key: null, value: Buffer.from("v") }]);
    const magic1 = Buffer.from(good);
    magic1[16] = 1;
    const magic7 = Buffer.from(good);
    magic7[16] = 7;
    const tinyLength = Buffer.from(good);
    tinyLength.writeInt32BE(5, 8);
    const cases: Array<[string, Buffer | null, number]> = [
      ["empty records", Buffer.alloc(0), ErrorCode.INVALID_RECORD],
      ["truncated batch", good.subarray(0, good.length - 3), ErrorCode.INVALID_RECORD],
      ["magic 1", magic1, ErrorCode.INVALID_RECORD],
      ["two batches", Buffer.concat([good, buildBatch([{ key: null, value: Buffer.from("w") }])]), ErrorCode.INVALID_RECORD],
      ["magic 7", magic7, ErrorCode.CORRUPT_MESSAGE],
      ["batch length below the record overhead", tinyLength, ErrorCode.CORRUPT_MESSAGE],
    ];
    for (const [name, records, code] of cases) {
      const [result] = await produce(port, 9, topic, [records]);
      expect(result?.errorCode, name).toBe(code);
    }
    await expectStillServing();
  });
});

describe("requests over socket.request.max.bytes (hub)", () => {
  let hub: HubBrokerHandle;
  let other: RawKafkaSocket;

  beforeAll(async () => {
    hub = await startHubBroker({ overrides: { "socket.request.max.bytes": "1024" } });
    other = await RawKafkaSocket.connect(hub.port);
  });
  afterAll(async () => {
    other?.destroy();
    await hub?.destroy();
  });

  it("closes the connection as soon as the size prefix exceeds the limit, and accepts one at the limit", async () => {
    // Exactly 1024 bytes: an ApiVersions v0 request with trailing bytes (which Kafka ignores).
    const apiVersions = encodeRequestFrame(18, 0, 1, defaultApiVersionsRequest());
    const atLimit = Buffer.concat([apiVersions, Buffer.alloc(1024 - (apiVersions.length - 4))]);
    atLimit.writeInt32BE(1024, 0);
    const ok = await RawKafkaSocket.connect(hub.port);
    ok.write(atLimit);
    expect((await ok.nextFrame()).readInt32BE(0)).toBe(1);
    ok.destroy();

    // Only the size prefix is sent: the broker does not wait for 1025 bytes before refusing.
    const over = await RawKafkaSocket.connect(hub.port);
    over.write(sizePrefixed(1025));
    expect(await over.closedWithin(5000)).toBe(true);

    // A real Produce request of about 2 KiB.
    const big = await RawKafkaSocket.connect(hub.port);
    big.write(produceFrame(9, 2, "oversized", [buildBatch([{ key: null, value: Buffer.alloc(2000, 0x61) }])]));
    expect(await big.closedWithin(5000)).toBe(true);

    // Everyone else: the connection opened before, a new one, and kafkajs.
    expect((await other.request(18, 3, API_VERSIONS_V3)).errorCode).toBe(ErrorCode.NONE);
    const admin = new Kafka({ clientId: "max-bytes", brokers: [hub.bootstrap], logLevel: logLevel.NOTHING }).admin();
    await admin.connect();
    try {
      await admin.createTopics({ topics: [{ topic: "small-requests-fine" }] });
      expect(await admin.listTopics()).toContain("small-requests-fine");
    } finally {
      await admin.disconnect();
    }
  });
});

describe("a client that disconnects during a long poll (hub)", () => {
  let hub: HubBrokerHandle;
  beforeAll(async () => {
    hub = await startHubBroker();
  });
  afterAll(async () => {
    await hub?.destroy();
  });

  it("ends the wait, leaving no timer to hold the request or keep a stopping broker alive", async () => {
    // Kafka's fetch purgatory size, from the broker's metrics endpoint.
    const waitingFetches = async (): Promise<number> => {
      const text = await (await fetch(hub.metricsUrl as string)).text();
      const line = /^kafka_server_delayedoperationpurgatory_purgatorysize\{delayedOperation="Fetch"\} (\d+)$/m.exec(text);
      if (!line) throw new Error("no fetch purgatory size in the metrics");
      return Number(line[1]);
    };
    const until = async (what: string, expected: number): Promise<void> => {
      const deadline = Date.now() + 5000;
      while ((await waitingFetches()) !== expected) {
        if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    };
    const socket = await RawKafkaSocket.connect(hub.port);
    const metadata = await socket.request(3, 12, { topics: [{ topicId: ZERO_UUID, name: "long-poll" }], allowAutoTopicCreation: true, includeClusterAuthorizedOperations: false, includeTopicAuthorizedOperations: false });
    expect(metadata.topics[0]?.errorCode).toBe(ErrorCode.NONE);
    expect(await waitingFetches()).toBe(0);
    // The longest wait a client can ask for: 2^31-1 ms, about 24 days.
    const longPoll = {
      ...defaultFetchRequest(),
      replicaId: -1,
      maxWaitMs: 0x7fffffff,
      minBytes: 1,
      maxBytes: 1 << 20,
      topics: [{ ...defaultFetchRequestFetchTopic(), topic: "long-poll", partitions: [{ ...defaultFetchRequestFetchPartition(), partition: 0, fetchOffset: 0n, partitionMaxBytes: 1 << 20 }] }],
    };
    socket.write(encodeRequestFrame(1, 12, 2, longPoll));
    await until("the fetch waits", 1);
    socket.destroy();
    await until("the wait ends with its connection", 0);

    // The same when the broker closes the connection itself (a bad frame after the long poll).
    const second = await RawKafkaSocket.connect(hub.port);
    second.write(encodeRequestFrame(1, 12, 3, longPoll));
    await until("the second fetch waits", 1);
    second.write(headerOnlyFrame(999, 0));
    expect(await second.closedWithin(5000)).toBe(true);
    await until("the second wait ends", 0);
  });
});
