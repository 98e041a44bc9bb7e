// While Kafka does not acknowledge a source task's records, their offsets are not committed, the
// task stops polling once buffer.memory is full (backpressure), and the records go through once
// Kafka takes them again. The broker goes away and comes back on the same port: the hub's broker
// is stopped and started again; a private Apache Kafka node (not the shared test service) is
// SIGKILLed and started again.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Kafka, logLevel } from "kafkajs";
import { describe, expect, it } from "vitest";
import { offsetMapKey, parseOffsetValue, serializeOffsetKey } from "../../../../connect/storage/offset-codec.ts";
import type { OffsetBackingStore } from "../../../../connect/storage/types.ts";
import { newProbe, type Probe } from "../../../support/connect-test-plugins.ts";
import { readAll, startTestWorker, type TestWorker, waitUntil } from "../../../support/connect-worker.ts";
import { startHubBroker } from "../../../support/hub-broker.ts";
import { KafkaNode } from "../../../support/kafka-node.ts";

async function committedPosition(store: OffsetBackingStore, connector: string, probeName: string): Promise<number> {
  const key = serializeOffsetKey(connector, { source: probeName, task: 0 });
  const value = (await store.get([key])).get(offsetMapKey(key));
  const offset = value ? parseOffsetValue(value) : null;
  return offset ? Number(offset.position) : -1;
}

const settle = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
const acked = (probe: Probe): number[] => probe.committedRecords.filter((c) => c.metadata !== null).map((c) => c.id);

/**
 * Runs an endless numbered source, makes the broker refuse for a while (refuse/accept), and checks
 * what was committed against what was acknowledged.
 */
async function scenario(bootstrap: string, topic: string, unique: (p: string) => string, refuse: () => Promise<void>, accept: () => Promise<void>): Promise<void> {
  const probeName = unique("probe");
  const probe = newProbe(probeName);
  const connector = unique("numbered");
  const w: TestWorker = await startTestWorker(bootstrap, { overrides: { "offset.flush.interval.ms": "200" } });
  try {
    await w.run(connector, {
      "connector.class": "NumberedSource",
      topic,
      "test.probe": probeName,
      count: "-1",
      "batch.size": "5",
      // Backpressure: at most about 40 records (of ~100 bytes counted each) unacknowledged.
      "producer.override.buffer.memory": "4000",
    });
    await waitUntil(async () => (await committedPosition(w.offsetStore, connector, probeName)) >= 20, 30_000, "offsets committed");

    await refuse();
    // Let the task run into the refusal and its buffer fill up.
    await settle(2500);
    const stuckEmitted = probe.emitted.length;
    const stuckAcked = new Set(acked(probe));
    const stuckPosition = await committedPosition(w.offsetStore, connector, probeName);
    await settle(1500);
    // Nothing more acknowledged, the committed offset covers only acknowledged records, and
    // polling stopped with the buffer full.
    expect(new Set(acked(probe))).toEqual(stuckAcked);
    expect(await committedPosition(w.offsetStore, connector, probeName)).toBe(stuckPosition);
    for (let id = 0; id <= stuckPosition; id++) expect(stuckAcked.has(id)).toBe(true);
    expect(probe.emitted.length).toBe(stuckEmitted);
    expect(stuckEmitted - stuckAcked.size).toBeLessThanOrEqual(60);

    await accept();
    await waitUntil(async () => (await committedPosition(w.offsetStore, connector, probeName)) >= stuckEmitted + 10, 60_000, "records flowing and committed again");
    await w.halt(connector);
    const finalPosition = await committedPosition(w.offsetStore, connector, probeName);
    expect(w.listener.events.some((e) => e.event === "onTaskFailure")).toBe(false);
    // Everything up to the committed offset is in the topic (at least once: some may be there
    // twice, so the whole topic is read).
    const written = await readAll(bootstrap, topic);
    const ids = new Set(written.map((r) => JSON.parse((r.value as Buffer).toString()).payload.id as number));
    for (let id = 0; id <= finalPosition; id++) expect(ids.has(id)).toBe(true);
  } finally {
    await w.close();
  }
}

let counter = 0;
const unique = (prefix: string): string => `${prefix}-${process.pid}-${Date.now().toString(36)}-${++counter}`;

describe("source records Kafka does not acknowledge", () => {
  it("on hub: the broker goes away and comes back", async () => {
    let broker = await startHubBroker();
    const bootstrap = broker.bootstrap;
    try {
      const topic = unique("outage");
      const admin = new Kafka({ clientId: "test-admin", brokers: [bootstrap], logLevel: logLevel.NOTHING }).admin();
      await admin.connect();
      await admin.createTopics({ topics: [{ topic, numPartitions: 1 }] });
      await admin.disconnect();
      await scenario(
        bootstrap,
        topic,
        unique,
        () => broker.stop(),
        async () => {
          broker = await broker.restart();
        },
      );
    } finally {
      await broker.destroy();
    }
  }, 180_000);

  it("on kafka: the broker is killed and started again", async () => {
    const dir = await mkdtemp(join(tmpdir(), "hub-kafka-node-"));
    const node = await KafkaNode.create({ dir, killWithParent: true });
    const ready = async (): Promise<void> => {
      const admin = new Kafka({ clientId: "test-admin", brokers: [node.bootstrap], logLevel: logLevel.NOTHING, retry: { retries: 0 } }).admin();
      await waitUntil(
        async () => {
          try {
            await admin.connect();
            await admin.listTopics();
            return true;
          } catch {
            return false;
          }
        },
        90_000,
        "the Kafka node to serve",
      );
      await admin.disconnect();
    };
    try {
      node.start();
      await ready();
      const topic = unique("outage");
      const admin = new Kafka({ clientId: "test-admin", brokers: [node.bootstrap], logLevel: logLevel.NOTHING }).admin();
      await admin.connect();
      await admin.createTopics({ topics: [{ topic, numPartitions: 1 }], waitForLeaders: true });
      await admin.disconnect();
      await scenario(node.bootstrap, topic, unique, () => node.kill(), async () => {
        node.start();
        await ready();
      });
    } finally {
      await node.kill();
      await rm(dir, { recursive: true, force: true });
    }
  }, 240_000);
});
