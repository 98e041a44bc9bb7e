// A connector instance's life on the worker: the statuses it reports through start, pause, resume,
// stop and shutdown, and what its context lets it do (ask for task reconfiguration, fail itself,
// read source offsets).
import { describe, expect, it } from "vitest";
import { ConfigDef, type ConnectorProps, SourceConnector, SourceTask } from "../../../../connect/api/index.ts";
import { ConnectMetrics } from "../../../../connect/runtime/metrics.ts";
import { OffsetStorageReaderImpl, OffsetStorageWriter } from "../../../../connect/runtime/offset-storage.ts";
import { WorkerConnector } from "../../../../connect/runtime/worker-connector.ts";
import { MemoryOffsetBackingStore } from "../../../../connect/storage/memory-offset-store.ts";
import { createLogger } from "../../../../lib/logger.ts";
import { RecordingStatusListener } from "../../../support/connect-worker.ts";

class Task extends SourceTask {
  start(): void {}
  poll(): null {
    return null;
  }
  stop(): void {}
}

class Probe extends SourceConnector {
  calls: string[] = [];
  failStart = false;
  start(props: ConnectorProps): void {
    this.calls.push(`start ${props.x}`);
    if (this.failStart) throw new Error("cannot start");
  }
  stop(): void {
    this.calls.push("stop");
  }
  taskClass(): typeof Task {
    return Task;
  }
  taskConfigs(): ConnectorProps[] {
    return [];
  }
  config(): ConfigDef {
    return new ConfigDef();
  }
  /** What its context offers, for the test. */
  ctx(): NonNullable<SourceConnector["context"]> {
    return this.context as NonNullable<SourceConnector["context"]>;
  }
}

function setup(connector = new Probe()) {
  const listener = new RecordingStatusListener();
  const store = new MemoryOffsetBackingStore();
  const worker = new WorkerConnector({
    name: "c",
    config: { x: "1" },
    connector,
    kind: "source",
    listener,
    control: { requestTaskReconfiguration: (name) => listener.reconfigurations.push(name) },
    offsetReader: new OffsetStorageReaderImpl(store, "c"),
    metrics: new ConnectMetrics(),
    logger: createLogger({ level: "silent" }),
  });
  return { connector, listener, worker, store };
}

const events = (l: RecordingStatusListener): string[] => l.events.map((e) => e.event);

describe("WorkerConnector", () => {
  it("reports RUNNING, PAUSED (stopping the instance), RUNNING again, STOPPED and UNASSIGNED", async () => {
    const { connector, listener, worker } = setup();
    await worker.initialize("STARTED");
    expect(worker.isRunning).toBe(true);
    await worker.transitionTo("PAUSED");
    await worker.transitionTo("PAUSED");
    await worker.transitionTo("STARTED");
    await worker.transitionTo("STOPPED");
    await worker.shutdown();
    expect(events(listener)).toEqual(["onConnectorStartup", "onConnectorPause", "onConnectorRunning", "onConnectorStop", "onConnectorShutdown"]);
    expect(connector.calls).toEqual(["start 1", "stop", "start 1", "stop"]);
  });

  it("starts nothing when created PAUSED, until resumed", async () => {
    const { connector, listener, worker } = setup();
    await worker.initialize("PAUSED");
    expect(connector.calls).toEqual([]);
    await worker.transitionTo("STARTED");
    expect(events(listener)).toEqual(["onConnectorPause", "onConnectorRunning"]);
  });

  it("fails when start() throws or the connector raises an error, and stays failed", async () => {
    const failing = new Probe();
    failing.failStart = true;
    const a = setup(failing);
    await a.worker.initialize("STARTED");
    expect(a.listener.events.map((e) => [e.event, e.error?.message])).toEqual([["onConnectorFailure", "cannot start"]]);
    await a.worker.transitionTo("STARTED");
    expect(a.worker.isFailed).toBe(true);

    const b = setup();
    await b.worker.initialize("STARTED");
    b.connector.ctx().raiseError(new Error("lost the source"));
    expect(b.listener.events.at(-1)?.error?.message).toBe("lost the source");
    await b.worker.shutdown();
    // Kafka reports the shutdown of a failed connector too.
    expect(events(b.listener).at(-1)).toBe("onConnectorShutdown");
  });

  it("passes task reconfiguration requests to the herder while running, and reads source offsets", async () => {
    const { connector, listener, worker, store } = setup();
    await worker.initialize("STARTED");
    connector.ctx().requestTaskReconfiguration();
    expect(listener.reconfigurations).toEqual(["c"]);
    const writer = new OffsetStorageWriter(store, "c");
    writer.offset({ file: "f" }, { pos: 3 });
    writer.beginFlush();
    await writer.doFlush();
    expect(await connector.ctx().offsetStorageReader().offset({ file: "f" })).toEqual({ pos: 3 });
    await worker.transitionTo("PAUSED");
    connector.ctx().requestTaskReconfiguration();
    expect(listener.reconfigurations).toEqual(["c"]);
  });
});
