// A standalone herder on the fake worker behind the real REST server, driven with fastify's
// inject (no sockets), for the REST unit tests.
import { pino } from "pino";
import { StandaloneHerder } from "../../../../connect/runtime/herder/standalone-herder.ts";
import type { GroupPartitionOffset, SinkOffsetsAdmin } from "../../../../connect/runtime/herder/connector-offsets.ts";
import { LoggerLevels } from "../../../../connect/runtime/loggers.ts";
import { WorkerConfig } from "../../../../connect/runtime/worker-config.ts";
import { createRestServer, type RestServer } from "../../../../connect/rest/server.ts";
import { MemoryOffsetBackingStore } from "../../../../connect/storage/memory-offset-store.ts";
import { FakeWorker, testRegistry } from "./fixtures.ts";

/** Consumer group offsets in memory, with Kafka's rule that a group with members refuses changes. */
export class FakeSinkAdmin implements SinkOffsetsAdmin {
  readonly groups = new Map<string, Map<string, GroupPartitionOffset>>();

  async listOffsets(groupId: string): Promise<GroupPartitionOffset[]> {
    return [...(this.groups.get(groupId)?.values() ?? [])];
  }

  async alterOffsets(groupId: string, offsets: readonly GroupPartitionOffset[]): Promise<void> {
    let group = this.groups.get(groupId);
    if (!group) this.groups.set(groupId, (group = new Map()));
    for (const o of offsets) group.set(`${o.topic}-${o.partition}`, o);
  }

  async deleteOffsets(groupId: string, partitions: ReadonlyArray<{ topic: string; partition: number }>): Promise<void> {
    for (const p of partitions) this.groups.get(groupId)?.delete(`${p.topic}-${p.partition}`);
  }

  async deleteGroup(groupId: string): Promise<void> {
    this.groups.delete(groupId);
  }
}

export interface Answer {
  status: number;
  body: unknown;
  headers: Record<string, string | string[] | number | undefined>;
}

export interface Harness {
  herder: StandaloneHerder;
  worker: FakeWorker;
  server: RestServer;
  offsetStore: MemoryOffsetBackingStore;
  sinkAdmin: FakeSinkAdmin;
  loggers: LoggerLevels;
  call(method: "GET" | "POST" | "PUT" | "PATCH" | "DELETE", url: string, body?: unknown, contentType?: string): Promise<Answer>;
  close(): Promise<void>;
}

export const WORKER_PROPS = {
  "bootstrap.servers": "127.0.0.1:9",
  "key.converter": "org.apache.kafka.connect.json.JsonConverter",
  "value.converter": "org.apache.kafka.connect.json.JsonConverter",
  "offset.storage.file.filename": "/nonexistent/offsets",
};

/** logLines: collect every log line (at trace level) instead of dropping them (INFO, into nothing). */
export async function startHarness(options: { logLines?: string[] } = {}): Promise<Harness> {
  const registry = testRegistry();
  const lines = options.logLines;
  const log = lines ? pino({ level: "trace" }, { write: (line: string) => void lines.push(line) }) : pino({ level: "info" }, { write: () => {} });
  const offsetStore = new MemoryOffsetBackingStore();
  const sinkAdmin = new FakeSinkAdmin();
  let worker: FakeWorker | undefined;
  const herder = new StandaloneHerder({
    registry,
    workerConfig: new WorkerConfig(WORKER_PROPS, false),
    createWorker: (hooks) => (worker = new FakeWorker(hooks, registry)),
    offsetStore,
    sinkAdmin,
    kafkaClusterId: "test-cluster-id",
    log,
  });
  await herder.start();
  const loggers = new LoggerLevels(log);
  const server = createRestServer({ herder, loggers, log, version: "0.1.0" });
  await server.app.ready();
  return {
    herder,
    worker: worker as FakeWorker,
    server,
    offsetStore,
    sinkAdmin,
    loggers,
    async call(method, url, body, contentType = "application/json") {
      const payload = body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body);
      const response = await server.app.inject({ method, url, ...(payload === undefined ? {} : { payload, headers: { "content-type": contentType } }) });
      const text = response.body;
      return { status: response.statusCode, body: text === "" ? undefined : (JSON.parse(text) as unknown), headers: response.headers };
    },
    async close() {
      await server.close();
      await herder.stop();
    },
  };
}
