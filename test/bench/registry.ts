// The Schema Registry benchmark: the hub's registry (`hub registry`, its `_schemas` topic on the
// Apache Kafka test service) and Apicurio Registry 2.4.2.Final's Confluent-compatible API
// (test/bench/apicurio/) twice, on its default in-memory H2 storage and on PostgreSQL (the
// PostgreSQL test service), on this machine, in one run, under the same load, so that the
// ratios hub/Apicurio mean something.
//
//   node test/bench/registry.ts [--runs N] [--schemas N] [--subjects N] [--clients LIST]
//                               [--read-clients N] [--read-secs N] [--warmup-secs N]
//                               [--registries hub,apicurio,apicurio-pg] [--apicurio-jvm="FLAGS"]
//                               [--hub-node-flags="FLAGS"] [--out FILE] [--keep-logs]
//   npm run bench:registry -- --quick
//
// Each run starts each registry fresh (the hub on a topic and election group of its own,
// Apicurio on an empty in-memory database, or on a PostgreSQL database created for the run and
// dropped after it) and:
//   start-up   spawns it and polls GET /subjects every 20 ms: the time until it answers 200
//   idle RSS   VmRSS of the process 1 s after that (for Apicurio, the JVM's)
//   config     PUT /config {"compatibility":"BACKWARD"}: the hub's default, and Confluent's;
//              Apicurio has no global rule (no check at all) unless told, so both are told
//   register   POSTs N distinct Avro schemas to /subjects/{s}/versions from C clients (closed
//              loop: each sends its next request when the previous answer is in): schema i
//              goes to subject i mod S as its version floor(i / S) + 1, a record of 5 fields
//              plus one optional field (default null) per earlier version, so every version is
//              checked against the previous one, and compatible with it. Requests/s is N over
//              the wall time; p50/p99 over the N latencies. Every answer must be 200 with an
//              id, and the N ids must be distinct (distinct schemas). One such phase per number
//              in --clients (default 1, then 8), each with N schemas of its own (other
//              subjects): Apicurio 2.4's in-memory storage fails under concurrent writers
//              (its id sequences on H2), so the 8-client figures compare the hub with Apicurio
//              on PostgreSQL only
//   read       after the first registration phase: GET /schemas/ids/{id} for ids drawn at
//              random from its N, from R clients (closed loop) for a warm-up (not counted),
//              then for T seconds: requests/s, p50/p99. Every answer must be 200; every 500th
//              is parsed and compared with the schema registered under that id
//   CPU        utime + stime of the registry process in each phase, per 1,000 requests (what a
//              request costs it, whatever the machine's other load), and of this load generator
//   peak RSS   the larger of VmHWM and every VmRSS sampled every 100 ms over the run
// The load generator is this process, on the same 2 cores, with node:http keep-alive
// connections (one per client): against a trivial Node server on this machine it reached
// 21,000-27,000 requests/s at 0.6-0.9 of a core, Node's fetch 13,000-16,000 at 1.1 cores, so
// node:http leaves more of the machine to the registry under test.
// Runs alternate which registry goes first. Progress goes to stderr; a markdown table of the
// medians goes to stdout; everything else (every sample, the commands, the machine) to
// data/bench/registry-<time>.json.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { closeSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { Agent, request as httpRequest } from "node:http";
import { cpus, loadavg, totalmem } from "node:os";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { Kafka, logLevel, type Admin } from "kafkajs";
import pg from "pg";
import { APICURIO_CCOMPAT_PATH, APICURIO_VERSION, apicurioArgs, apicurioPostgresEnv, ensureApicurio, type ApicurioStorage } from "./apicurio/apicurio.ts";
import { CLOCK_TICKS, MemorySampler, readStatusKiB, versionOf } from "./process-stats.ts";
import { requireService } from "../services/index.ts";
import { freePort } from "../support/broker-process.ts";
import { benchHarness, compiledHubEntry, fileTail, fmt, launcherSettings, type Medians, mediansOf, positiveIntOption, ratiosOf, sleep, usageErrorFor } from "./bench-harness.ts";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
// Apicurio twice: with its default in-memory storage (H2), and with the same SQL storage on
// PostgreSQL (the PostgreSQL test service), which, unlike H2, takes concurrent registrations.
const REGISTRIES = ["hub", "apicurio", "apicurio-pg"] as const;
type RegistryName = (typeof REGISTRIES)[number];
type ApicurioName = Exclude<RegistryName, "hub">;
const APICURIOS: readonly ApicurioName[] = ["apicurio", "apicurio-pg"];
const APICURIO_STORAGE: Record<ApicurioName, ApicurioStorage> = { apicurio: "h2", "apicurio-pg": "postgresql" };
const APICURIO_TITLE = `Apicurio ${APICURIO_VERSION.replace(/\.Final$/, "")}`;
const TITLES: Record<RegistryName, string> = { hub: "hub", apicurio: `${APICURIO_TITLE}, H2 in memory`, "apicurio-pg": `${APICURIO_TITLE}, PostgreSQL` };
// Apicurio's JVM: a 1 GiB heap cap (its default would be a quarter of the machine's 24 GiB),
// the JVM's default collector (G1 here) and full tiered compilation: throughput is measured.
const DEFAULT_APICURIO_JVM = "-Xms64m -Xmx1g -XX:+ExitOnOutOfMemoryError";
const CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";
// What Confluent's Java client sends.
const ACCEPT = "application/vnd.schemaregistry.v1+json, application/vnd.schemaregistry+json; qs=0.9, application/json; qs=0.5";

const USAGE = `usage: node test/bench/registry.ts [options]
  --quick                 2,000 schemas, 5 s of reads, 2 runs (default 10,000 schemas, 20 s, 3 runs)
  --runs N                runs per registry; medians are reported
  --schemas N             distinct schemas to register (default 10000)
  --subjects N            subjects they are spread over (default 1000: 10 versions each)
  --clients LIST          one registration phase of N schemas per number, from that many
                          concurrent clients (default 1,8: the first phase's schemas are read)
  --read-clients N        concurrent clients reading (default 8)
  --read-secs N           seconds of GET /schemas/ids/{id} counted (default 20)
  --warmup-secs N         seconds of reads before those (default 5)
  --registries LIST       any of hub, apicurio (its in-memory H2 storage) and apicurio-pg
                          (PostgreSQL storage) (default: all three)
  --apicurio-jvm="FLAGS"  Apicurio's JVM flags (default "${DEFAULT_APICURIO_JVM}")
  --hub-node-flags="FLAGS"  extra node flags for the hub registry (none by default)
  --out FILE              JSON results (default data/bench/registry-<time>.json)
  --keep-logs             keep the registries' logs (their paths are printed)`;

// ---------------------------------------------------------------------------------------------
// Options

const { values: opts } = parseArgs({
  options: {
    quick: { type: "boolean", default: false },
    runs: { type: "string" },
    schemas: { type: "string" },
    subjects: { type: "string" },
    clients: { type: "string", default: "1,8" },
    "read-clients": { type: "string" },
    "read-secs": { type: "string" },
    "warmup-secs": { type: "string" },
    registries: { type: "string", default: REGISTRIES.join(",") },
    "apicurio-jvm": { type: "string", default: DEFAULT_APICURIO_JVM },
    "hub-node-flags": { type: "string" },
    out: { type: "string" },
    "keep-logs": { type: "boolean", default: false },
    help: { type: "boolean", short: "h", default: false },
  },
});
if (opts.help) {
  console.log(USAGE);
  process.exit(0);
}
const usageError = usageErrorFor(USAGE);
const positiveInt = positiveIntOption(usageError);
const RUNS = positiveInt("runs", opts.runs, opts.quick ? 2 : 3);
const SCHEMAS = positiveInt("schemas", opts.schemas, opts.quick ? 2000 : 10_000);
const SUBJECTS = Math.min(SCHEMAS, positiveInt("subjects", opts.subjects, opts.quick ? 200 : 1000));
const REGISTER_CLIENTS = opts.clients.split(",").map((c) => positiveInt("clients", c.trim(), 1));
if (new Set(REGISTER_CLIENTS).size !== REGISTER_CLIENTS.length) usageError("--clients takes distinct numbers");
const READ_CLIENTS = positiveInt("read-clients", opts["read-clients"], 8);
const READ_SECS = positiveInt("read-secs", opts["read-secs"], opts.quick ? 5 : 20);
const WARMUP_SECS = Number(opts["warmup-secs"] ?? 5);
if (!Number.isFinite(WARMUP_SECS) || WARMUP_SECS < 0) usageError("--warmup-secs must be a number ≥ 0");
const RUN_REGISTRIES = opts.registries.split(",").map((r) => r.trim()) as RegistryName[];
if (RUN_REGISTRIES.length === 0 || RUN_REGISTRIES.some((r) => !(REGISTRIES as readonly string[]).includes(r))) usageError("--registries takes hub, apicurio, apicurio-pg or a comma list");
const APICURIO_JVM = opts["apicurio-jvm"].split(/\s+/).filter(Boolean);
const HUB_NODE_FLAGS = (opts["hub-node-flags"] ?? "").split(/\s+/).filter(Boolean);
const OUT = resolve(opts.out ?? join(ROOT, "data", "bench", `registry-${new Date().toISOString().replace(/[:.]/g, "-")}.json`));

// ---------------------------------------------------------------------------------------------
// Progress, processes and clean-up

const bench = benchHarness({ stopping: "the registries", graceMs: 15_000 });
const { progress, pids, tempDir } = bench;


/** utime + stime of a process, in seconds (/proc/<pid>/stat fields 14 and 15). */
function cpuSeconds(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
  } catch {
    return undefined;
  }
}

/** CPU seconds this process (the load generator) has used. */
function selfCpuSeconds(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
}

// ---------------------------------------------------------------------------------------------
// HTTP: node:http with keep-alive, one connection per client

interface HttpAnswer {
  status: number;
  body: string;
}

class RegistryClient {
  private readonly agent: Agent;
  private readonly host: string;
  private readonly port: number;
  private readonly prefix: string;

  /** base: the registry's Confluent-compatible API, e.g. http://127.0.0.1:8081/apis/ccompat/v7 */
  constructor(base: string, connections: number) {
    const url = new URL(base);
    this.host = url.hostname;
    this.port = Number(url.port);
    this.prefix = url.pathname.replace(/\/+$/, "");
    this.agent = new Agent({ keepAlive: true, maxSockets: connections, maxFreeSockets: connections });
  }

  request(method: string, path: string, body?: string, timeoutMs = 30_000): Promise<HttpAnswer> {
    return new Promise((resolvePromise, reject) => {
      const headers: Record<string, string | number> = { accept: ACCEPT };
      if (body !== undefined) {
        headers["content-type"] = CONTENT_TYPE;
        headers["content-length"] = Buffer.byteLength(body);
      }
      const req = httpRequest({ agent: this.agent, host: this.host, port: this.port, method, path: this.prefix + path, headers, timeout: timeoutMs }, (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (chunk: Buffer) => chunks.push(chunk));
        res.on("end", () => resolvePromise({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString("utf8") }));
        res.on("error", reject);
      });
      req.on("timeout", () => req.destroy(new Error(`${method} ${path}: no answer within ${timeoutMs} ms`)));
      req.on("error", reject);
      req.end(body);
    });
  }

  close(): void {
    this.agent.destroy();
  }
}

// ---------------------------------------------------------------------------------------------
// The schemas

interface BenchSchema {
  subject: string;
  schema: string;
}

/** Schema i of a phase: subject i mod S, version floor(i / S) + 1 of that subject's record. */
function schemaFor(phase: number, i: number): BenchSchema {
  const s = i % SUBJECTS;
  const version = Math.floor(i / SUBJECTS);
  const fields: object[] = [
    { name: "id", type: "long" },
    { name: "name", type: "string" },
    { name: "amount", type: "double" },
    { name: "created", type: { type: "long", logicalType: "timestamp-millis" } },
    { name: "tags", type: { type: "array", items: "string" }, default: [] },
  ];
  for (let k = 1; k <= version; k++) fields.push({ name: `extra${k}`, type: ["null", "string"], default: null });
  return { subject: `bench-p${phase}-${s}-value`, schema: JSON.stringify({ type: "record", name: `Event${s}`, namespace: `bench.registry.p${phase}`, fields }) };
}

// ---------------------------------------------------------------------------------------------
// Latencies

/** Latencies in ms, appended to a growing Float64Array (a read phase records ~10^5-10^6). */
class Latencies {
  private values = new Float64Array(16_384);
  count = 0;

  add(ms: number): void {
    if (this.count === this.values.length) {
      const grown = new Float64Array(this.values.length * 2);
      grown.set(this.values);
      this.values = grown;
    }
    this.values[this.count++] = ms;
  }

  /** p50, p99 and the maximum (nearest rank). */
  summary(): { p50: number; p99: number; max: number } | undefined {
    if (this.count === 0) return undefined;
    const sorted = this.values.slice(0, this.count).sort();
    const rank = (q: number): number => sorted[Math.min(this.count - 1, Math.ceil(q * this.count) - 1)] as number;
    return { p50: rank(0.5), p99: rank(0.99), max: sorted[this.count - 1] as number };
  }
}

// ---------------------------------------------------------------------------------------------
// The registries

interface RunningRegistry {
  /** The Confluent-compatible API's base URL. */
  base: string;
  pid: number;
  logFile: string;
  /** Whether the process is gone, and how. */
  failure(): string | undefined;
  stop(): Promise<void>;
}

async function stopChild(child: ChildProcess, graceMs: number): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((r) => child.once("exit", () => r()));
  child.kill("SIGTERM");
  const timer = setTimeout(() => child.kill("SIGKILL"), graceMs);
  await exited;
  clearTimeout(timer);
}

function spawnLogged(command: string, args: string[], dir: string, env: NodeJS.ProcessEnv): { child: ChildProcess; logFile: string } {
  const logFile = join(dir, "registry.log");
  const out = openSync(logFile, "a");
  const child = spawn(command, args, { cwd: dir, stdio: ["ignore", out, out], env });
  closeSync(out);
  if (child.pid === undefined) throw new Error(`could not spawn ${command}`);
  const pid = child.pid;
  pids.add(pid);
  child.once("exit", () => pids.delete(pid));
  return { child, logFile };
}

function running(child: ChildProcess, base: string, logFile: string, graceMs: number): RunningRegistry {
  return {
    base,
    pid: child.pid as number,
    logFile,
    failure: () => (child.exitCode !== null || child.signalCode !== null ? `exited (code ${child.exitCode}, signal ${child.signalCode})` : undefined),
    stop: () => stopChild(child, graceMs),
  };
}

// `./hub` starts Node with the flags and malloc settings in cli/node-flags; the hub registry
// here is started the same way (the launcher's own lines, then --hub-node-flags).
const { nodeFlags: LAUNCHER_NODE_FLAGS, env: LAUNCHER_ENV } = launcherSettings(ROOT, HUB_NODE_FLAGS);
const HUB_ARGS = [...LAUNCHER_NODE_FLAGS, ...HUB_NODE_FLAGS, compiledHubEntry(ROOT), "--log-level", "warn", "registry"];

interface HubPlan {
  topic: string;
  groupId: string;
}

function hubProperties(bootstrap: string, port: number, plan: HubPlan): Record<string, string> {
  return {
    listeners: `http://127.0.0.1:${port}`,
    "kafkastore.bootstrap.servers": bootstrap,
    "kafkastore.topic": plan.topic,
    "kafkastore.topic.replication.factor": "1",
    "schema.registry.group.id": plan.groupId,
  };
}

async function spawnHub(bootstrap: string, plan: HubPlan, dir: string): Promise<RunningRegistry> {
  const port = await freePort();
  const file = join(dir, "schema-registry.properties");
  writeFileSync(file, `${Object.entries(hubProperties(bootstrap, port, plan)).map(([k, v]) => `${k}=${v}`).join("\n")}\n`);
  const { child, logFile } = spawnLogged(process.execPath, [...HUB_ARGS, file], dir, { ...process.env, ...LAUNCHER_ENV });
  return running(child, `http://127.0.0.1:${port}`, logFile, 10_000);
}

async function spawnApicurio(home: string, storage: ApicurioStorage, env: Record<string, string>, dir: string): Promise<RunningRegistry> {
  const port = await freePort();
  const { child, logFile } = spawnLogged("java", apicurioArgs(home, port, APICURIO_JVM, storage), dir, { ...process.env, ...env });
  // A JVM's clean shutdown (Quarkus closing its pools) can take a few seconds.
  return running(child, `http://127.0.0.1:${port}${APICURIO_CCOMPAT_PATH}`, logFile, 20_000);
}

/** Polls GET /subjects every 20 ms until it answers 200; the time from `spawnedAt`. */
async function waitUntilServing(r: RunningRegistry, client: RegistryClient, spawnedAt: number, timeoutMs: number): Promise<number> {
  const deadline = spawnedAt + timeoutMs;
  for (;;) {
    const failure = r.failure();
    if (failure) throw new Error(`the registry ${failure} during start-up:\n${fileTail(r.logFile)}`);
    try {
      const answer = await client.request("GET", "/subjects", undefined, 2000);
      if (answer.status === 200) return performance.now() - spawnedAt;
    } catch {
      // not listening yet
    }
    if (performance.now() > deadline) throw new Error(`the registry did not answer GET /subjects within ${timeoutMs / 1000} s:\n${fileTail(r.logFile)}`);
    await sleep(20);
  }
}

// ---------------------------------------------------------------------------------------------
// One run of one registry

interface Sample {
  registry: RegistryName;
  run: number;
  /** Where the hub kept its schemas: its `_schemas` topic on Kafka, or memory only. */
  storage?: string;
  /** Every figure of the run by metric key (METRICS), those of the phases that succeeded. */
  values: Record<string, number>;
  /** A registration phase that failed (the run went on without its figures). */
  phaseFailures: string[];
  logFile?: string;
  /** What ended the run early: such a run is left out of the medians. */
  errors: string[];
}

class PhaseError extends Error {
  override name = "PhaseError";
}

/**
 * Registers SCHEMAS distinct schemas of `phase` from `clients` closed-loop clients; returns
 * their ids by schema index. Stops at the first failure.
 */
async function registerAll(client: RegistryClient, phase: number, clients: number, latencies: Latencies): Promise<number[]> {
  const ids: number[] = new Array<number>(SCHEMAS);
  let next = 0;
  let failures = 0;
  let firstFailure = "";
  let done = 0;
  const t0 = performance.now();
  let lastReport = t0;
  const worker = async (): Promise<void> => {
    for (;;) {
      if (bench.interrupted || failures > 0) return;
      const i = next++;
      if (i >= SCHEMAS) return;
      const { subject, schema } = schemaFor(phase, i);
      const body = JSON.stringify({ schema });
      const t = performance.now();
      let answer: HttpAnswer;
      try {
        answer = await client.request("POST", `/subjects/${subject}/versions`, body);
      } catch (err) {
        failures++;
        firstFailure ||= `POST /subjects/${subject}/versions: ${err instanceof Error ? err.message : String(err)}`;
        return;
      }
      latencies.add(performance.now() - t);
      const id = answer.status === 200 ? (JSON.parse(answer.body) as { id?: unknown }).id : undefined;
      if (typeof id !== "number") {
        failures++;
        firstFailure ||= `POST /subjects/${subject}/versions (schema ${i}): ${answer.status} ${answer.body.slice(0, 300)}`;
        return;
      }
      ids[i] = id;
      done++;
      const now = performance.now();
      if (now - lastReport > 5000) {
        lastReport = now;
        progress(`  ${done} of ${SCHEMAS} registered (${fmt(done / ((now - t0) / 1000), 0)}/s)`);
      }
    }
  };
  await Promise.all(Array.from({ length: clients }, worker));
  if (bench.interrupted) throw new PhaseError("bench.interrupted");
  if (failures > 0) throw new PhaseError(`registration from ${clients} clients failed after ${done} of ${SCHEMAS} schemas: ${firstFailure}`);
  const distinct = new Set(ids).size;
  if (distinct !== SCHEMAS) throw new PhaseError(`${SCHEMAS} distinct schemas got ${distinct} distinct ids`);
  return ids;
}

/** Canonical text of a schema, to compare what a GET returns with what was registered. */
function canonical(schema: string): string {
  return JSON.stringify(JSON.parse(schema));
}

/**
 * GET /schemas/ids/{id} for random ids of phase 0's schemas from READ_CLIENTS closed-loop
 * clients, for `secs` seconds; latencies only when `latencies` is given (not in the warm-up).
 */
async function readFor(client: RegistryClient, ids: number[], secs: number, latencies: Latencies | undefined): Promise<{ requests: number; checked: number }> {
  const byId = new Map<number, number>();
  ids.forEach((id, i) => byId.set(id, i));
  const end = performance.now() + secs * 1000;
  let requests = 0;
  let checked = 0;
  let failure = "";
  const worker = async (): Promise<void> => {
    while (!bench.interrupted && failure === "" && performance.now() < end) {
      const id = ids[Math.floor(Math.random() * ids.length)] as number;
      const t = performance.now();
      let answer: HttpAnswer;
      try {
        answer = await client.request("GET", `/schemas/ids/${id}`);
      } catch (err) {
        failure ||= `GET /schemas/ids/${id}: ${err instanceof Error ? err.message : String(err)}`;
        return;
      }
      latencies?.add(performance.now() - t);
      if (answer.status !== 200) {
        failure ||= `GET /schemas/ids/${id}: ${answer.status} ${answer.body.slice(0, 300)}`;
        return;
      }
      if (++requests % 500 === 0) {
        const got = (JSON.parse(answer.body) as { schema?: unknown }).schema;
        const want = schemaFor(0, byId.get(id) as number).schema;
        if (typeof got !== "string" || canonical(got) !== canonical(want)) {
          failure ||= `GET /schemas/ids/${id} returned ${answer.body.slice(0, 300)}, not the schema registered under that id`;
          return;
        }
        checked++;
      }
    }
  };
  await Promise.all(Array.from({ length: READ_CLIENTS }, worker));
  if (failure) throw new PhaseError(`reads failed: ${failure}`);
  return { requests, checked };
}

interface Context {
  bootstrap?: string;
  admin?: Admin;
  apicurioHome?: string;
  /** The PostgreSQL test service (postgres://user:password@host:port/db), for apicurio-pg. */
  postgresUrl?: string;
}

/** A database of its own for one apicurio-pg run, on the PostgreSQL test service. */
async function withDatabase(postgresUrl: string, name: string, action: "create" | "drop"): Promise<void> {
  const admin = new pg.Client({ connectionString: postgresUrl });
  await admin.connect();
  try {
    await admin.query(action === "create" ? `CREATE DATABASE ${name}` : `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  } finally {
    await admin.end();
  }
}

function jdbcEnv(postgresUrl: string, database: string): Record<string, string> {
  const url = new URL(postgresUrl);
  return apicurioPostgresEnv(`jdbc:postgresql://${url.hostname}:${url.port || 5432}/${database}`, decodeURIComponent(url.username), decodeURIComponent(url.password));
}

/** CPU seconds of the registry and of this process around `work`, with its wall time. */
async function measured<T>(pid: number, work: () => Promise<T>): Promise<{ result: T; secs: number; registryCpu?: number; selfCpu: number }> {
  const cpu0 = cpuSeconds(pid);
  const self0 = selfCpuSeconds();
  const t0 = performance.now();
  const result = await work();
  const secs = (performance.now() - t0) / 1000;
  const cpu1 = cpuSeconds(pid);
  return { result, secs, registryCpu: cpu0 !== undefined && cpu1 !== undefined ? cpu1 - cpu0 : undefined, selfCpu: selfCpuSeconds() - self0 };
}

async function registrationPhase(tag: string, client: RegistryClient, pid: number, phase: number, sample: Sample): Promise<number[]> {
  const clients = REGISTER_CLIENTS[phase] as number;
  progress(`${tag}: registering ${SCHEMAS} schemas over ${SUBJECTS} subjects from ${clients} client(s)`);
  const latencies = new Latencies();
  const m = await measured(pid, () => registerAll(client, phase, clients, latencies));
  const v = sample.values;
  const l = latencies.summary();
  v[`reg${clients}Rps`] = SCHEMAS / m.secs;
  if (l) [v[`reg${clients}P50Ms`], v[`reg${clients}P99Ms`], v[`reg${clients}MaxMs`]] = [l.p50, l.p99, l.max];
  if (m.registryCpu !== undefined) v[`reg${clients}CpuMsPerK`] = (m.registryCpu * 1e6) / SCHEMAS;
  v[`reg${clients}ClientCores`] = m.selfCpu / m.secs;
  progress(
    `${tag}: registered in ${fmt(m.secs)} s = ${fmt(SCHEMAS / m.secs, 0)}/s, p50 ${fmt(l?.p50 ?? 0, 2)} ms, p99 ${fmt(l?.p99 ?? 0, 2)} ms, ` +
      `${fmt(v[`reg${clients}CpuMsPerK`] ?? 0, 0)} ms of registry CPU per 1,000`,
  );
  return m.result;
}

async function readPhase(tag: string, client: RegistryClient, pid: number, ids: number[], sample: Sample): Promise<void> {
  if (WARMUP_SECS > 0) {
    progress(`${tag}: ${WARMUP_SECS} s of GET /schemas/ids/{id} to warm up`);
    await readFor(client, ids, WARMUP_SECS, undefined);
  }
  if (bench.interrupted) return;
  progress(`${tag}: ${READ_SECS} s of GET /schemas/ids/{id} from ${READ_CLIENTS} clients`);
  const latencies = new Latencies();
  const m = await measured(pid, () => readFor(client, ids, READ_SECS, latencies));
  if (bench.interrupted) return;
  const v = sample.values;
  const l = latencies.summary();
  v.reads = m.result.requests;
  v.readsChecked = m.result.checked;
  v.readRps = m.result.requests / m.secs;
  if (l) [v.readP50Ms, v.readP99Ms, v.readMaxMs] = [l.p50, l.p99, l.max];
  if (m.registryCpu !== undefined) v.readCpuMsPerK = (m.registryCpu * 1e6) / m.result.requests;
  v.readClientCores = m.selfCpu / m.secs;
  progress(
    `${tag}: ${m.result.requests} reads = ${fmt(v.readRps, 0)}/s, p50 ${fmt(l?.p50 ?? 0, 2)} ms, p99 ${fmt(l?.p99 ?? 0, 2)} ms, ` +
      `${fmt(v.readCpuMsPerK ?? 0, 1)} ms of registry CPU per 1,000, load generator ${fmt(v.readClientCores, 2)} cores`,
  );
}

async function benchmarkRun(name: RegistryName, run: number, ctx: Context): Promise<Sample> {
  const tag = `${TITLES[name]} run ${run + 1}/${RUNS}`;
  const sample: Sample = { registry: name, run, values: {}, phaseFailures: [], errors: [] };
  const dir = tempDir(`hub-bench-registry-${name}-`);
  const suffix = `${process.pid}-${run}-${Date.now().toString(36)}`;
  const plan: HubPlan = { topic: `_schemas-bench-${suffix}`, groupId: `bench-registry-${suffix}` };
  const database = `apicurio_bench_${suffix.replace(/-/g, "_")}`;
  let registry: RunningRegistry | undefined;
  let memory: MemorySampler | undefined;
  let client: RegistryClient | undefined;
  try {
    progress(`${tag}: starting`);
    if (name === "apicurio-pg") await withDatabase(ctx.postgresUrl as string, database, "create");
    const spawnedAt = performance.now();
    registry =
      name === "hub"
        ? await spawnHub(ctx.bootstrap as string, plan, dir)
        : await spawnApicurio(ctx.apicurioHome as string, APICURIO_STORAGE[name], name === "apicurio-pg" ? jdbcEnv(ctx.postgresUrl as string, database) : {}, dir);
    memory = new MemorySampler(registry.pid);
    client = new RegistryClient(registry.base, Math.max(...REGISTER_CLIENTS, READ_CLIENTS));
    sample.values.startMs = await waitUntilServing(registry, client, spawnedAt, 120_000);
    await sleep(1000);
    sample.values.idleRssMiB = (readStatusKiB(registry.pid)?.rss ?? 0) / 1024;
    progress(`${tag}: answering after ${fmt(sample.values.startMs, 0)} ms, idle RSS ${fmt(sample.values.idleRssMiB, 0)} MiB`);

    const config = await client.request("PUT", "/config", JSON.stringify({ compatibility: "BACKWARD" }));
    if (config.status !== 200) throw new PhaseError(`PUT /config: ${config.status} ${config.body.slice(0, 300)}`);

    // Phase 0 makes the schemas that are read; the later registration phases come after the
    // reads, so that one failing (Apicurio's in-memory storage with concurrent writers, see
    // BENCHMARKS.md) costs only its own figures.
    const ids = await registrationPhase(tag, client, registry.pid, 0, sample);
    await readPhase(tag, client, registry.pid, ids, sample);
    for (let phase = 1; phase < REGISTER_CLIENTS.length && !bench.interrupted; phase++) {
      try {
        await registrationPhase(tag, client, registry.pid, phase, sample);
      } catch (err) {
        if (!(err instanceof PhaseError)) throw err;
        progress(`${tag}: FAILED: ${err.message}`);
        sample.phaseFailures.push(err.message);
      }
    }
    const failure = registry.failure();
    if (failure) throw new Error(`the registry ${failure}`);
  } catch (err) {
    if (!bench.interrupted) {
      const message = err instanceof Error ? err.message : String(err);
      progress(`${tag}: FAILED: ${message}`);
      sample.errors.push(message);
    }
  } finally {
    client?.close();
    if (registry) {
      const cpu = cpuSeconds(registry.pid);
      if (cpu !== undefined) sample.values.cpuSecs = cpu;
      if (memory) sample.values.peakRssMiB = memory.stop();
      if (!bench.interrupted) progress(`${tag}: peak RSS ${fmt(sample.values.peakRssMiB ?? 0, 0)} MiB, registry CPU ${fmt(sample.values.cpuSecs ?? 0)} s; stopping`);
      await registry.stop();
      sample.logFile = registry.logFile;
    }
    // Also after Ctrl-C: nothing of a run is left on the Kafka or PostgreSQL test service.
    if (name === "hub" && ctx.admin) sample.storage = await dropHubState(ctx.admin, plan);
    if (name === "apicurio-pg") await withDatabase(ctx.postgresUrl as string, database, "drop").catch((err: unknown) => progress(`could not drop database ${database}: ${String(err)}`));
    if (opts["keep-logs"]) {
      bench.keepTempDir(dir);
      progress(`${tag}: log kept in ${sample.logFile ?? dir}`);
    } else {
      rmSync(dir, { recursive: true, force: true });
      bench.keepTempDir(dir);
    }
  }
  return sample;
}

/** Deletes a hub run's topic and group; says whether the topic existed (where the schemas were). */
async function dropHubState(admin: Admin, plan: HubPlan): Promise<string> {
  const existed = (await admin.listTopics().catch(() => [] as string[])).includes(plan.topic);
  if (existed) await admin.deleteTopics({ topics: [plan.topic], timeout: 30_000 }).catch((err: unknown) => progress(`could not delete topic ${plan.topic}: ${String(err)}`));
  await admin.deleteGroups([plan.groupId]).catch(() => undefined);
  return existed ? "_schemas topic on Apache Kafka" : "memory only (no topic was written)";
}

// ---------------------------------------------------------------------------------------------
// Medians, ratios and the table

interface Metric {
  key: string;
  label: string;
  /** The issue's target for hub/Apicurio, where it states one ("ahead of it"). */
  target?: "higher" | "lower";
  digits: number;
}

const thousands = (n: number): string => n.toLocaleString("en-US");
const METRICS: Metric[] = [
  ...REGISTER_CLIENTS.flatMap((c): Metric[] => [
    { key: `reg${c}Rps`, label: `register ${thousands(SCHEMAS)} distinct schemas, ${c} client${c === 1 ? "" : "s"}, requests/s`, target: "higher", digits: 0 },
    { key: `reg${c}P50Ms`, label: `register (${c}), p50 latency, ms`, digits: 2 },
    { key: `reg${c}P99Ms`, label: `register (${c}), p99 latency, ms`, target: "lower", digits: 2 },
    { key: `reg${c}CpuMsPerK`, label: `register (${c}), registry CPU per 1,000 requests, ms`, digits: 0 },
  ]),
  { key: "readRps", label: `GET /schemas/ids/{id}, ${READ_CLIENTS} clients, ${READ_SECS} s, requests/s`, target: "higher", digits: 0 },
  { key: "readP50Ms", label: "GET by id, p50 latency, ms", digits: 2 },
  { key: "readP99Ms", label: "GET by id, p99 latency, ms", target: "lower", digits: 2 },
  { key: "readCpuMsPerK", label: "GET by id, registry CPU per 1,000 requests, ms", digits: 1 },
  { key: "readClientCores", label: "GET by id, load generator's cores busy", digits: 2 },
  { key: "startMs", label: "start → REST API answers, ms", digits: 0 },
  { key: "idleRssMiB", label: "RSS idle after start-up, MiB", digits: 0 },
  { key: "peakRssMiB", label: "peak RSS, MiB", digits: 0 },
];

/** The metric `key` of a successful run (failed runs are left out of the medians). */
const readMetric = (s: Sample, key: string): number | undefined => (s.errors.length === 0 ? s.values[key] : undefined);

function markdownTable(medians: Partial<Record<RegistryName, Medians>>, ratios: Partial<Record<ApicurioName, Medians>>, counts: Record<RegistryName, number>): string {
  const cell = (v: number | undefined, digits: number): string => (v === undefined ? "-" : fmt(v, digits));
  const compared = RUN_REGISTRIES.includes("hub") ? APICURIOS.filter((a) => RUN_REGISTRIES.includes(a)) : [];
  const lines = [
    `medians of ${RUN_REGISTRIES.map((r) => `${counts[r]} ${TITLES[r]}`).join(", ")} successful runs`,
    "",
    `| metric | ${[...RUN_REGISTRIES.map((r) => TITLES[r]), ...compared.map((a) => `hub / ${TITLES[a]}`)].join(" | ")} | target |`,
    `|---|${[...RUN_REGISTRIES, ...compared].map(() => "---:").join("|")}|---|`,
  ];
  for (const m of METRICS) {
    const target = m.target === "higher" ? "> 1" : m.target === "lower" ? "< 1" : "";
    const cells = [...RUN_REGISTRIES.map((r) => cell(medians[r]?.[m.key], m.digits)), ...compared.map((a) => cell(ratios[a]?.[m.key], 2))];
    lines.push(`| ${m.label} | ${cells.join(" | ")} | ${target} |`);
  }
  return lines.join("\n");
}

// ---------------------------------------------------------------------------------------------
// Main

async function main(): Promise<void> {
  const ctx: Context = {};
  if (RUN_REGISTRIES.some((r) => r !== "hub")) ctx.apicurioHome = await ensureApicurio();
  if (RUN_REGISTRIES.includes("apicurio-pg")) ctx.postgresUrl = await requireService("postgres");
  if (RUN_REGISTRIES.includes("hub")) {
    ctx.bootstrap = await requireService("kafka");
    ctx.admin = new Kafka({ clientId: "bench-registry", brokers: [ctx.bootstrap], logLevel: logLevel.NOTHING }).admin();
    await ctx.admin.connect();
  }
  const meta = {
    date: new Date().toISOString(),
    cpus: `${cpus().length} x ${cpus()[0]?.model ?? "?"}`,
    memoryMiB: Math.round(totalmem() / (1024 * 1024)),
    node: process.version,
    java: versionOf("java", ["-version"]),
    apicurio: APICURIO_VERSION,
    gitCommit: spawnSync("git", ["rev-parse", "--short", "HEAD"], { cwd: ROOT, encoding: "utf8" }).stdout.trim(),
    loadAverageBefore: loadavg(),
    loadAverageAfter: [] as number[],
    runs: RUNS,
    schemas: SCHEMAS,
    subjects: SUBJECTS,
    registerClients: REGISTER_CLIENTS,
    readClients: READ_CLIENTS,
    readSecs: READ_SECS,
    warmupSecs: WARMUP_SECS,
    compatibility: "BACKWARD",
    apicurioJvm: APICURIO_JVM.join(" "),
    hubNodeFlags: HUB_NODE_FLAGS.join(" "),
    commands: {} as Record<string, string>,
  };
  progress(
    `registry benchmark: ${RUN_REGISTRIES.map((r) => TITLES[r]).join(" vs ")}, ${RUNS} run(s), ${SCHEMAS} schemas over ${SUBJECTS} subjects, ` +
      `${REGISTER_CLIENTS.join(" then ")} registering / ${READ_CLIENTS} reading clients; ${meta.cpus}, load average ${loadavg().map((l) => l.toFixed(2)).join(" ")}`,
  );
  if ((loadavg()[0] as number) > cpus().length * 0.5) progress(`note: the machine is busy (load ${(loadavg()[0] as number).toFixed(2)} on ${cpus().length} cores); figures will be noisy`);

  const samples: Sample[] = [];
  try {
    for (let i = 0; i < RUNS && !bench.interrupted; i++) {
      // Alternate the order, so neither registry always runs on the warmer (or busier) machine.
      const order = i % 2 === 0 ? RUN_REGISTRIES : [...RUN_REGISTRIES].reverse();
      for (const name of order) {
        if (bench.interrupted) break;
        samples.push(await benchmarkRun(name, i, ctx));
      }
    }
  } finally {
    await ctx.admin?.disconnect().catch(() => undefined);
  }
  if (bench.interrupted) return;
  meta.loadAverageAfter = loadavg();

  const medians: Partial<Record<RegistryName, Medians>> = {};
  const counts = { hub: 0, apicurio: 0, "apicurio-pg": 0 } as Record<RegistryName, number>;
  for (const r of RUN_REGISTRIES) {
    const mine = samples.filter((s) => s.registry === r);
    counts[r] = mine.filter((s) => s.errors.length === 0).length;
    medians[r] = mediansOf(METRICS, mine, readMetric);
  }
  const ratios: Partial<Record<ApicurioName, Medians>> = {};
  for (const a of APICURIOS) if (RUN_REGISTRIES.includes(a)) ratios[a] = ratiosOf(METRICS, medians.hub, medians[a]);
  process.stdout.write(`\n${markdownTable(medians, ratios, counts)}\n`);
  const storage = [...new Set(samples.filter((s) => s.registry === "hub" && s.storage).map((s) => s.storage))];
  if (storage.length > 0) process.stdout.write(`\nhub storage: ${storage.join("; ")}\n`);
  const errors = samples.flatMap((s) => s.errors.map((e) => `${TITLES[s.registry]}, run ${s.run + 1}: ${e.split("\n")[0]}`));
  if (errors.length > 0) process.stdout.write(`\nfailures (left out of the medians):\n\n${errors.map((e) => `- ${e}`).join("\n")}\n`);
  const phaseFailures = samples.flatMap((s) => s.phaseFailures.map((e) => `${TITLES[s.registry]}, run ${s.run + 1}: ${e.split("\n")[0]}`));
  if (phaseFailures.length > 0) process.stdout.write(`\nregistration phases that failed (their figures are missing; the rest of the run counts):\n\n${phaseFailures.map((e) => `- ${e}`).join("\n")}\n`);
  process.stdout.write(
    `\n${SCHEMAS} Avro schemas over ${SUBJECTS} subjects, compatibility BACKWARD, registered from ${REGISTER_CLIENTS.join(" then ")} clients, ${READ_CLIENTS} reading clients for ${READ_SECS} s after ${WARMUP_SECS} s; ` +
      `load average before ${meta.loadAverageBefore.map((l) => l.toFixed(2)).join(" ")}, after ${meta.loadAverageAfter.map((l) => l.toFixed(2)).join(" ")}; ` +
      `${meta.java}, Node ${process.version}\n`,
  );

  meta.commands = {
    hub: `${Object.entries(LAUNCHER_ENV).map(([k, v]) => `${k}=${v} `).join("")}node ${HUB_ARGS.map((a) => (a.startsWith(ROOT) ? relative(ROOT, a) : a)).join(" ")} schema-registry.properties`,
    hubProperties: Object.entries(hubProperties("BOOTSTRAP", 0, { topic: "TOPIC", groupId: "GROUP" }))
      .map(([k, v]) => `${k}=${v}`)
      .join("\n"),
    apicurio: `java ${apicurioArgs("APICURIO_HOME", 0, APICURIO_JVM, "h2").join(" ")}`,
    apicurioPostgres: `${Object.entries(apicurioPostgresEnv("jdbc:postgresql://HOST:PORT/DATABASE", "USER", "PASSWORD")).map(([k, v]) => `${k}=${v} `).join("")}java ${apicurioArgs("APICURIO_HOME", 0, APICURIO_JVM, "postgresql").join(" ")}`,
    apicurioBuild: "bash test/bench/apicurio/fetch.sh",
  };
  mkdirSync(dirname(OUT), { recursive: true });
  writeFileSync(OUT, `${JSON.stringify({ meta, medians, ratios, samples }, null, 2)}\n`);
  process.stdout.write(`\nresults: ${OUT}\n`);
  if (errors.length > 0) process.exitCode = 1;
}

main().catch((err: unknown) => {
  if (bench.interrupted) return;
  process.stderr.write(`bench: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 1;
  bench.signalAll("SIGKILL");
});
