// A multi-broker Apache Kafka KRaft cluster for tests that need real replication: the one
// place a broker can be SIGKILLed while the others keep serving (acks=all, min.insync.replicas
// 2, replication factor 3 for user and internal topics), which is how users run the hub's
// Connect workers past one machine. Each node is a combined broker+controller JVM started from
// the jars test/services/kafka.sh caches (through KafkaNode), all voters of one static quorum,
// on 127.0.0.1 with free ports, in a temporary directory removed by stop(). Nodes may get client
// listeners besides PLAINTEXT (SSL, SASL_PLAINTEXT, SASL_SSL: see secure-kafka.ts).
//
// No JVM may outlive the test that started it: stop() kills what is left, a process "exit"
// handler SIGKILLs the JVMs, and each JVM has a watchdog shell that SIGKILLs it when this
// process dies without either (a runner killing its worker); a last watchdog removes the data.
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Kafka, logLevel } from "kafkajs";
import { freePort } from "./broker-process.ts";
import { KafkaNode, newClusterId } from "./kafka-node.ts";

export interface KafkaClusterOptions {
  /** How many combined broker+controller nodes (default 3). */
  nodes?: number;
  /** Extra server.properties lines for every node, over the defaults below. */
  props?: Record<string, string>;
  /** How long start-up and restart() may take until every broker is registered (default 150 s). */
  startTimeoutMs?: number;
  /**
   * Client listeners besides PLAINTEXT, by name (e.g. { SASL_PLAIN: "SASL_PLAINTEXT", TLS: "SSL" }):
   * each gets a free 127.0.0.1 port on every node and its security protocol in
   * listener.security.protocol.map. PLAINTEXT stays, for the brokers' own traffic and the
   * harness's readiness probe. Per-listener settings (`listener.name.<name in lower case>.*`,
   * sasl.enabled.mechanisms...) go in `props`.
   */
  listeners?: Record<string, "PLAINTEXT" | "SSL" | "SASL_PLAINTEXT" | "SASL_SSL">;
  /** Extra `kafka-storage format` arguments for every node, e.g. `--add-scram` to create SCRAM users. */
  formatArgs?: readonly string[];
}

export interface KafkaClusterBroker {
  id: number;
  port: number;
  /** The port of each of `options.listeners` on this node. */
  listeners: Record<string, number>;
}

export interface KafkaCluster {
  /** All brokers' addresses, comma-separated, for bootstrap.servers. */
  bootstrap: string;
  /** bootstrap.servers for one of `options.listeners`. */
  bootstrapOf(listener: string): string;
  brokers: KafkaClusterBroker[];
  /** The temporary directory holding every node's data and logs (removed by stop()). */
  dir: string;
  /** SIGKILLs one node's JVM and waits until it is gone. */
  kill(id: number): Promise<void>;
  /** Starts a node again on its data (SIGKILLing it first if it still runs), until it is registered and unfenced. */
  restart(id: number): Promise<void>;
  /** The last lines of one node's logs, for failure messages. */
  logTail(id: number, lines?: number): string;
  /** Stops every node (SIGTERM, then SIGKILL after a short grace) and removes the data. */
  stop(): Promise<void>;
}

const HEAP_OPTS = "-Xms64m -Xmx384m";

/** The defaults every node gets; `props` overrides them. */
function clusterProps(nodes: number): Record<string, string> {
  const rf = String(Math.min(3, nodes));
  const minIsr = String(Math.min(2, nodes));
  return {
    "num.partitions": "1",
    "default.replication.factor": rf,
    "min.insync.replicas": minIsr,
    "offsets.topic.replication.factor": rf,
    "transaction.state.log.replication.factor": rf,
    "transaction.state.log.min.isr": minIsr,
    "share.coordinator.state.topic.replication.factor": rf,
    "share.coordinator.state.topic.min.isr": minIsr,
    // Kafka's 50 partitions per internal topic, times 3 replicas, make the first group join
    // of a fresh cluster slow on a 2-core machine (test/services/kafka.sh measured ~10 s for
    // one replica); a few partitions still spread the coordinators over the brokers.
    "offsets.topic.num.partitions": "3",
    "transaction.state.log.num.partitions": "3",
    "share.coordinator.state.topic.num.partitions": "3",
    // Tests join groups constantly; the 3 s default only delays every first join.
    "group.initial.rebalance.delay.ms": "0",
    // Leaders never move to a replica that may have lost acknowledged records.
    "unclean.leader.election.enable": "false",
  };
}

function say(line: string): void {
  process.stderr.write(`kafka-cluster: ${line}\n`);
}

function tail(file: string, lines: number): string {
  if (!existsSync(file)) return `(no ${file})`;
  const all = readFileSync(file, "utf8").trimEnd().split("\n");
  return `--- ${file} (last ${Math.min(lines, all.length)} lines) ---\n${all.slice(-lines).join("\n")}`;
}

/** Which broker ids the cluster's metadata lists (KRaft lists only registered, unfenced brokers). */
async function registeredBrokers(bootstrap: string): Promise<number[]> {
  const kafka = new Kafka({
    clientId: "kafka-cluster-probe",
    brokers: bootstrap.split(","),
    logLevel: logLevel.NOTHING,
    connectionTimeout: 1000,
    requestTimeout: 3000,
    retry: { retries: 0 },
  });
  const admin = kafka.admin();
  try {
    await admin.connect();
    const { brokers } = await admin.describeCluster();
    return brokers.map((b) => b.nodeId).sort((a, b) => a - b);
  } catch {
    return [];
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
}

/** Attempts at start-up when a node could not bind its port (see below). */
const BIND_ATTEMPTS = 3;

export async function startKafkaCluster(options: KafkaClusterOptions = {}): Promise<KafkaCluster> {
  // The ports are chosen free, then released for the JVMs to bind seconds later; another process
  // on the machine (another test file starting servers) can take one in between. That is a race
  // of the harness, not of Kafka: start again on fresh ports.
  for (let attempt = 1; ; attempt++) {
    try {
      return await startKafkaClusterOnce(options);
    } catch (error) {
      const lostPortRace = error instanceof Error && /exited during start-up/.test(error.message) && /Address already in use|BindException|Unable to start acceptor/.test(error.message);
      if (!lostPortRace || attempt >= BIND_ATTEMPTS) throw error;
      say(`a node could not bind its port (taken since it was chosen); starting again on new ports (attempt ${attempt + 1} of ${BIND_ATTEMPTS})`);
    }
  }
}

async function startKafkaClusterOnce(options: KafkaClusterOptions): Promise<KafkaCluster> {
  const count = options.nodes ?? 3;
  const startTimeoutMs = options.startTimeoutMs ?? 150_000;
  const started = Date.now();
  const dir = mkdtempSync(join(tmpdir(), "hub-kafka-cluster-"));
  const ids = Array.from({ length: count }, (_, i) => i + 1);
  const ports = new Map<number, { port: number; controllerPort: number }>();
  for (const id of ids) ports.set(id, { port: await freePort(), controllerPort: await freePort() });
  const extraListeners = Object.entries(options.listeners ?? {});
  const listenerPorts = new Map<number, Record<string, number>>();
  for (const id of ids) {
    const byName: Record<string, number> = {};
    for (const [name] of extraListeners) byName[name] = await freePort();
    listenerPorts.set(id, byName);
  }
  /** server.properties lines that add `options.listeners` to a node's PLAINTEXT and CONTROLLER ones. */
  const listenerProps = (id: number): Record<string, string> => {
    if (extraListeners.length === 0) return {};
    const { port, controllerPort } = ports.get(id) as { port: number; controllerPort: number };
    const extra = extraListeners.map(([name]) => `${name}://127.0.0.1:${listenerPorts.get(id)?.[name]}`);
    return {
      listeners: [`PLAINTEXT://127.0.0.1:${port}`, `CONTROLLER://127.0.0.1:${controllerPort}`, ...extra].join(","),
      "advertised.listeners": [`PLAINTEXT://127.0.0.1:${port}`, ...extra].join(","),
      "listener.security.protocol.map": ["PLAINTEXT:PLAINTEXT", "CONTROLLER:PLAINTEXT", ...extraListeners.map(([name, protocol]) => `${name}:${protocol}`)].join(","),
    };
  };
  const voters = ids.map((id) => `${id}@127.0.0.1:${ports.get(id)?.controllerPort}`).join(",");
  const clusterId = newClusterId();
  const nodes = new Map<number, KafkaNode>();
  let stopped = false;

  // Last resort for a runner that kills this process: remove the data once it and the JVMs
  // (SIGKILLed by their own watchdogs within a second) are gone.
  const reaper = spawn(
    "sh",
    ["-c", 'while kill -0 "$1" 2>/dev/null; do sleep 1; done; sleep 3; rm -rf "$2"', "kafka-cluster-reaper", String(process.pid), dir],
    { detached: true, stdio: "ignore" },
  );
  reaper.unref();
  const onExit = (): void => {
    for (const node of nodes.values()) node.killNow();
    rmSync(dir, { recursive: true, force: true });
  };
  process.once("exit", onExit);

  const bootstrap = ids.map((id) => `127.0.0.1:${ports.get(id)?.port}`).join(",");
  const node = (id: number): KafkaNode => {
    const n = nodes.get(id);
    if (!n) throw new Error(`kafka-cluster: no node ${id} (nodes are ${ids.join(", ")})`);
    return n;
  };
  const logTail = (id: number, lines = 40): string => {
    const n = node(id);
    return [tail(n.logFile, lines), tail(join(n.dir, "stdout.log"), Math.min(lines, 15))].join("\n");
  };

  /** Polls until `want` are all registered; fails at once, with the logs, if a JVM exits. */
  const waitRegistered = async (want: number[], what: string): Promise<void> => {
    const deadline = Date.now() + startTimeoutMs;
    let seen: number[];
    for (;;) {
      const dead = want.filter((id) => !node(id).running);
      if (dead.length > 0) {
        throw new Error(`kafka-cluster: node(s) ${dead.join(", ")} exited during ${what}\n${dead.map((id) => logTail(id)).join("\n")}`);
      }
      // Each node is asked itself: a SIGKILLed broker stays listed until its session times out,
      // and a broker opens its listener to clients only once it is unfenced.
      const answers = await Promise.all(want.map((id) => registeredBrokers(`127.0.0.1:${ports.get(id)?.port}`)));
      seen = want.filter((id, i) => answers[i]?.includes(id));
      if (seen.length === want.length) return;
      if (Date.now() > deadline) {
        throw new Error(
          `kafka-cluster: ${what} timed out after ${startTimeoutMs} ms: brokers serving as registered and unfenced: [${seen.join(", ")}], ` +
            `expected [${want.join(", ")}]\n${want.map((id) => logTail(id, 25)).join("\n")}`,
        );
      }
      await new Promise((r) => setTimeout(r, 500));
    }
  };

  const stop = async (): Promise<void> => {
    if (stopped) return;
    stopped = true;
    // The data is thrown away, so a clean shutdown buys nothing beyond a few seconds' grace.
    await Promise.all([...nodes.values()].map((n) => n.stop(5_000)));
    process.removeListener("exit", onExit);
    rmSync(dir, { recursive: true, force: true });
    if (reaper.exitCode === null && reaper.signalCode === null) reaper.kill("SIGKILL");
  };

  try {
    say(`formatting ${count} KRaft nodes (cluster ${clusterId}) in ${dir}`);
    const props = { ...clusterProps(count), ...options.props };
    const created = await Promise.all(
      ids.map((id) =>
        KafkaNode.create({
          dir: join(dir, `node-${id}`),
          nodeId: id,
          ...(ports.get(id) as { port: number; controllerPort: number }),
          voters,
          clusterId,
          heapOpts: HEAP_OPTS,
          killWithParent: true,
          props: { ...props, ...listenerProps(id) },
          ...(options.formatArgs ? { formatArgs: options.formatArgs } : {}),
        }),
      ),
    );
    for (const n of created) nodes.set(n.nodeId, n);
    say(`formatted in ${((Date.now() - started) / 1000).toFixed(1)} s; starting brokers ${bootstrap}`);
    for (const n of created) n.start();
    await waitRegistered(ids, "start-up");
    say(`all ${count} brokers registered and unfenced after ${((Date.now() - started) / 1000).toFixed(1)} s`);
  } catch (error) {
    await stop();
    throw error;
  }

  return {
    bootstrap,
    bootstrapOf(listener: string): string {
      if (!(listener in (options.listeners ?? {}))) throw new Error(`kafka-cluster: no listener ${listener} (listeners: PLAINTEXT, ${Object.keys(options.listeners ?? {}).join(", ")})`);
      return ids.map((id) => `127.0.0.1:${listenerPorts.get(id)?.[listener]}`).join(",");
    },
    brokers: ids.map((id) => ({ id, port: ports.get(id)?.port ?? 0, listeners: { ...listenerPorts.get(id) } })),
    dir,
    logTail,
    stop,
    async kill(id: number): Promise<void> {
      say(`SIGKILL node ${id}`);
      await node(id).kill();
    },
    async restart(id: number): Promise<void> {
      const n = node(id);
      await n.kill();
      const t0 = Date.now();
      say(`restarting node ${id}`);
      n.start();
      await waitRegistered([id], `restart of node ${id}`);
      say(`node ${id} registered and unfenced again after ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    },
  };
}
