// The hub's Connect worker for tests: started in this process with startConnect() (the same
// start-up as `hub connect`), on a free loopback port, against the broker at `bootstrap`. In
// process rather than as a child `hub connect`: it starts in well under a second (no second
// Node to boot and no TypeScript to strip again), its failures surface as exceptions with
// stacks in the test's output, and tests can reach the herder directly when they need to.
// Standalone by default (offsets in a temporary file); mode "distributed" gets its own group
// and storage topics, unique per worker group.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { connectSettings, type ConnectMode, startConnect } from "../../connect/index.ts";
import type { Herder } from "../../connect/runtime/herder/herder.ts";
import { createLogger, type Logger } from "../../lib/logger.ts";
import { connectGroupProps } from "./connect-group.ts";

export interface HubConnectWorkerOptions {
  /** host:port of the Kafka cluster (the hub's broker or Apache Kafka). */
  readonly bootstrap: string;
  /** Default standalone. */
  readonly mode?: ConnectMode;
  /** Worker properties over the defaults (converters, storage topics, listeners ...). */
  readonly props?: Readonly<Record<string, string>>;
  /** Standalone: connector configs created at start-up, as `hub connect --standalone w.properties c.properties`. */
  readonly connectors?: ReadonlyArray<Record<string, string>>;
  /** Distributed: workers given the same group share it (default: a new group per worker). */
  readonly group?: string;
  readonly log?: Logger;
}

export interface HubConnectWorker {
  /** The REST API's base URL (http://127.0.0.1:<port>), without a trailing slash. */
  readonly url: string;
  readonly herder: Herder;
  readonly dir: string;
  stop(): Promise<void>;
}

let counter = 0;

export async function startHubConnectWorker(options: HubConnectWorkerOptions): Promise<HubConnectWorker> {
  const mode = options.mode ?? "standalone";
  const dir = await mkdtemp(join(tmpdir(), "hub-connect-"));
  const unique = `hub-connect-${process.pid}-${Date.now().toString(36)}-${++counter}`;
  const group = options.group ?? unique;
  const defaults: Record<string, string> = {
    "bootstrap.servers": options.bootstrap,
    listeners: "http://127.0.0.1:0",
    "key.converter": "org.apache.kafka.connect.json.JsonConverter",
    "value.converter": "org.apache.kafka.connect.json.JsonConverter",
    "offset.flush.interval.ms": "1000",
    ...(mode === "standalone"
      ? { "offset.storage.file.filename": join(dir, "connect.offsets") }
      : {
          ...connectGroupProps(group),
          "offset.storage.partitions": "3",
          "status.storage.partitions": "3",
        }),
  };
  const props = new Map(Object.entries({ ...defaults, ...options.props }));
  const log = options.log ?? createLogger({ level: (process.env["HUB_TEST_LOG_LEVEL"] as "info" | undefined) ?? "warn", format: "json" }).child({ part: "connect" });
  try {
    const connect = await startConnect(connectSettings(props, mode, options.connectors ?? []), log);
    return {
      url: connect.url.replace(/\/+$/, ""),
      herder: connect.herder,
      dir,
      async stop() {
        await connect.stop();
        await rm(dir, { recursive: true, force: true });
      },
    };
  } catch (err) {
    await rm(dir, { recursive: true, force: true });
    throw err;
  }
}
