// The broker's Prometheus endpoint (hub.metrics.listener): after kafkajs produces, fetches and
// joins a group, GET /metrics shows request counts and latency histograms per API, bytes in
// and out per topic, partition sizes, group counts by state and open connections.
import { Kafka, logLevel, type Consumer, type Producer } from "kafkajs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startHubBroker, type HubBrokerHandle } from "../../support/hub-broker.ts";
import { RawKafkaSocket } from "../../support/raw-kafka-socket.ts";

interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/** Parses Prometheus' text exposition format (the sample lines; comments skipped). */
function parseMetrics(text: string): Sample[] {
  const samples: Sample[] = [];
  for (const line of text.split("\n")) {
    if (line === "" || line.startsWith("#")) continue;
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!match) throw new Error(`not a Prometheus sample line: ${line}`);
    const labels: Record<string, string> = {};
    for (const [, key, value] of (match[2] ?? "").matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)) labels[key as string] = value as string;
    samples.push({ name: match[1] as string, labels, value: Number(match[3]) });
  }
  return samples;
}

function pick(samples: Sample[], name: string, labels: Record<string, string> = {}): Sample[] {
  return samples.filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v));
}

const sum = (samples: Sample[]): number => samples.reduce((n, s) => n + s.value, 0);

describe("broker metrics endpoint", () => {
  const topic = "metered";
  const groupId = "metered-group";
  let hub: HubBrokerHandle;
  let producer: Producer;
  let consumer: Consumer;

  async function scrape(): Promise<Sample[]> {
    expect(hub.metricsUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/metrics$/);
    const response = await fetch(hub.metricsUrl as string);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/^text\/plain; version=0\.0\.4/);
    return parseMetrics(await response.text());
  }

  beforeAll(async () => {
    hub = await startHubBroker();
    const kafka = new Kafka({ clientId: "metrics-test", brokers: [hub.bootstrap], logLevel: logLevel.NOTHING });
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic, numPartitions: 3 }] });
    await admin.disconnect();

    producer = kafka.producer();
    await producer.connect();
    for (let i = 0; i < 5; i++) {
      await producer.send({ topic, acks: -1, messages: [0, 1, 2].map((partition) => ({ partition, key: `k${i}`, value: `value ${i} for partition ${partition}` })) });
    }

    consumer = kafka.consumer({ groupId, sessionTimeout: 10_000, heartbeatInterval: 500 });
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    let consumed = 0;
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`consumed ${consumed} of 15 records within 20 s`)), 20_000);
      void consumer.run({
        eachMessage: async () => {
          if (++consumed === 15) {
            clearTimeout(timer);
            resolve();
          }
        },
      });
    });
  });

  afterAll(async () => {
    await consumer?.disconnect();
    await producer?.disconnect();
    await hub?.destroy();
  });

  it("counts requests per API and version, with latency histograms", async () => {
    const samples = await scrape();
    for (const api of ["Produce", "Fetch", "Metadata", "ApiVersions", "JoinGroup", "SyncGroup", "CreateTopics"]) {
      const counts = pick(samples, "kafka_network_requests_total", { api });
      expect(sum(counts), `${api} requests`).toBeGreaterThan(0);
      expect(counts.every((c) => /^\d+$/.test(c.labels.version ?? ""))).toBe(true);
    }
    // kafkajs sent 5 Produce requests (acks=all), one per send().
    expect(sum(pick(samples, "kafka_network_requests_total", { api: "Produce" }))).toBe(5);

    const buckets = pick(samples, "kafka_network_request_duration_seconds_bucket", { api: "Produce" });
    expect(buckets.map((b) => b.labels.le)).toEqual(expect.arrayContaining(["0.001", "0.01", "0.1", "1", "+Inf"]));
    expect(pick(buckets, "kafka_network_request_duration_seconds_bucket", { le: "+Inf" })[0]?.value).toBe(5);
    // Cumulative buckets never decrease.
    const values = buckets.map((b) => b.value);
    expect(values).toEqual([...values].sort((a, b) => a - b));
    expect(pick(samples, "kafka_network_request_duration_seconds_count", { api: "Fetch" })[0]?.value).toBeGreaterThan(0);
    expect(pick(samples, "kafka_network_request_duration_seconds_sum", { api: "Fetch" })[0]?.value).toBeGreaterThan(0);
  });

  it("reports bytes and records in and out per topic, and the size of each partition's log", async () => {
    const samples = await scrape();
    const bytesIn = sum(pick(samples, "kafka_server_brokertopicmetrics_bytes_in_total", { topic }));
    const bytesOut = sum(pick(samples, "kafka_server_brokertopicmetrics_bytes_out_total", { topic }));
    expect(bytesIn).toBeGreaterThan(15 * 20);
    // The consumer read every batch at least once.
    expect(bytesOut).toBeGreaterThanOrEqual(bytesIn);
    expect(sum(pick(samples, "kafka_server_brokertopicmetrics_messages_in_total", { topic }))).toBe(15);

    const sizes = pick(samples, "kafka_log_size_bytes", { topic });
    expect(sizes.map((s) => s.labels.partition).sort()).toEqual(["0", "1", "2"]);
    for (const size of sizes) expect(size.value, `partition ${size.labels.partition}`).toBeGreaterThan(0);
    // Batches are stored as they arrived: the logs hold exactly the bytes produced.
    expect(sum(sizes)).toBe(bytesIn);
    // Internal topics are measured too.
    expect(pick(samples, "kafka_log_size_bytes", { topic: "__consumer_offsets" }).length).toBeGreaterThan(0);
  });

  it("counts consumer groups by state", async () => {
    const samples = await scrape();
    expect(pick(samples, "kafka_coordinator_group_metadata_manager_num_groups", { state: "Stable" })[0]?.value).toBe(1);
  });

  it("counts open connections", async () => {
    const base = pick(await scrape(), "kafka_server_socket_server_connections")[0]?.value ?? -1;
    // kafkajs keeps at least one connection for the producer and two for the consumer (broker and coordinator may share one).
    expect(base).toBeGreaterThanOrEqual(2);
    const extra = await Promise.all([1, 2, 3].map(() => RawKafkaSocket.connect(hub.port)));
    // A request on each proves the broker accepted the connection before we scrape.
    for (const socket of extra) await socket.request(18, 0, { clientSoftwareName: "", clientSoftwareVersion: "" });
    expect(pick(await scrape(), "kafka_server_socket_server_connections")[0]?.value).toBe(base + 3);
    for (const socket of extra) {
      socket.destroy();
      await socket.closed;
    }
    const deadline = Date.now() + 5000;
    let now = -1;
    while (Date.now() < deadline) {
      now = pick(await scrape(), "kafka_server_socket_server_connections")[0]?.value ?? -1;
      if (now === base) break;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(now).toBe(base);
  });

  it("serves only GET /metrics", async () => {
    const root = new URL("/", hub.metricsUrl);
    expect((await fetch(root)).status).toBe(404);
    expect((await fetch(hub.metricsUrl as string, { method: "POST" })).status).toBe(405);
  });

  it("is off with hub.metrics.listener=none", async () => {
    const quiet = await startHubBroker({ overrides: { "hub.metrics.listener": "none" } });
    try {
      expect(quiet.metricsUrl).toBeUndefined();
    } finally {
      await quiet.destroy();
    }
  });
});
