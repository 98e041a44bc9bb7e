#!/usr/bin/env node
// The `hub` command: `hub start` runs every part in one process; `hub broker|registry|
// connect|mirror` run one part from the properties file its Kafka counterpart uses.
// Each part is imported only when its command runs, so `hub broker` does not pay for
// loading the REST frameworks of the others (start-up time is a goal).
import { Command, InvalidArgumentError, Option } from "commander";
import { resolve } from "node:path";
import { runUntilSignalled, type Component } from "../lib/lifecycle.ts";
import { createLogger, LOG_LEVELS, type LogFormat, type Logger, type LogLevel } from "../lib/logger.ts";
import { applyOverrides, readProperties, type Properties } from "../lib/properties.ts";
import { HUB_VERSION } from "../lib/version.ts";
import { describeMirrorFlows } from "./mirror-flows.ts";

interface GlobalOptions {
  logLevel: LogLevel;
  logFormat?: LogFormat;
}

function parsePort(value: string): number {
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new InvalidArgumentError("must be a port number (0-65535)");
  return port;
}

const collect = (value: string, previous: string[]): string[] => [...previous, value];
const overrideOption = (): Option =>
  new Option("--override <key=value>", "set a property, over the file's value (repeatable)").argParser(collect).default([]);

async function loadProperties(file: string | undefined, overrides: string[]): Promise<Properties> {
  return applyOverrides(file ? await readProperties(file) : new Map(), overrides);
}

/** Starts components in order under one signal handler; exits non-zero if any fails to start. */
async function run(log: Logger, starters: Array<() => Promise<Component>>): Promise<void> {
  const running = runUntilSignalled(log);
  try {
    for (const start of starters) running.add(await start());
  } catch (err) {
    log.fatal({ err }, "failed to start");
    await running.stopAll("start-up failed");
    process.exit(1);
  }
  log.info("hub is running; press Ctrl-C to stop");
  await running.stopped;
}

const program = new Command()
  .name("hub")
  .description(
    "A data integration hub: a Kafka-protocol broker, a Kafka-Connect-compatible runtime, " +
      "a Confluent-compatible Schema Registry and MirrorMaker 2 mirroring, in one process.",
  )
  .version(HUB_VERSION)
  .addOption(new Option("--log-level <level>", "minimum level to log").choices(LOG_LEVELS).default("info"))
  .addOption(new Option("--log-format <format>", "log as JSON lines or readable text (default: text on a terminal, else JSON)").choices(["json", "pretty"]))
  .showHelpAfterError();

const logger = (): Logger => {
  const opts = program.opts<GlobalOptions>();
  return createLogger({ level: opts.logLevel, ...(opts.logFormat ? { format: opts.logFormat } : {}) });
};

program
  .command("start")
  .description("run the broker, the Schema Registry and a Connect worker together (the embedded default)")
  .option("--data-dir <dir>", "where the broker keeps its logs (Connect keeps its configs, offsets and statuses in the broker's connect-* topics)", "./data")
  .option("--host <address>", "address every part binds to", "127.0.0.1")
  .option("--kafka-port <port>", "Kafka protocol port of the broker", parsePort, 9092)
  .option("--registry-port <port>", "Schema Registry REST port", parsePort, 8081)
  .option("--connect-port <port>", "Kafka Connect REST port", parsePort, 8083)
  .option("--metrics-port <port>", "Prometheus metrics port of the broker (GET /metrics)", parsePort, 9404)
  .option("--durable", "answer acks=all produce requests only once their data is fsynced (hub.durable.acks.all=true)", false)
  .action(async (opts: { dataDir: string; host: string; kafkaPort: number; registryPort: number; connectPort: number; metricsPort: number; durable: boolean }) => {
    const log = logger();
    const [{ brokerSettings, startBroker }, { registrySettings, startRegistry }, { connectSettings, startConnect }, { kafkaRegistryParts }] = await Promise.all([
      import("../broker/index.ts"),
      import("../registry/index.ts"),
      import("../connect/index.ts"),
      import("../registry/kafka-parts.ts"),
    ]);
    const dataDir = resolve(opts.dataDir);
    const bootstrap = `${opts.host}:${opts.kafkaPort}`;
    log.info({ version: HUB_VERSION, dataDir }, "starting hub");
    await run(log, [
      () =>
        startBroker(
          brokerSettings(
            new Map([
              ["listeners", `PLAINTEXT://${bootstrap}`],
              ["hub.metrics.listener", `http://${opts.host}:${opts.metricsPort}`],
              ["hub.durable.acks.all", String(opts.durable)],
            ]),
            dataDir,
          ),
          log.child({ part: "broker" }),
        ),
      () =>
        startRegistry(
          registrySettings(new Map([["listeners", `http://${opts.host}:${opts.registryPort}`], ["kafkastore.bootstrap.servers", bootstrap]])),
          log.child({ part: "registry" }),
          kafkaRegistryParts(),
        ),
      () =>
        startConnect(
          connectSettings(
            new Map([
              ["listeners", `http://${opts.host}:${opts.connectPort}`],
              ["bootstrap.servers", bootstrap],
              ["group.id", "hub"],
              ["key.converter", "org.apache.kafka.connect.json.JsonConverter"],
              ["value.converter", "org.apache.kafka.connect.json.JsonConverter"],
              // Kafka's sample connect-distributed.properties names; one broker: one replica.
              ["config.storage.topic", "connect-configs"],
              ["offset.storage.topic", "connect-offsets"],
              ["status.storage.topic", "connect-status"],
              ["config.storage.replication.factor", "1"],
              ["offset.storage.replication.factor", "1"],
              ["status.storage.replication.factor", "1"],
            ]),
            "distributed",
          ),
          log.child({ part: "connect" }),
        ),
    ]);
  });

program
  .command("broker")
  .description("run only the Kafka-protocol broker")
  .argument("[server.properties]", "broker configuration in Kafka's server.properties format")
  .option("--data-dir <dir>", "data directory when log.dirs is not set", "./data")
  .option("--durable", "answer acks=all produce requests only once their data is fsynced (sets hub.durable.acks.all=true)", false)
  .addOption(overrideOption())
  .action(async (file: string | undefined, opts: { dataDir: string; override: string[]; durable: boolean }) => {
    const log = logger();
    const { brokerSettings, startBroker } = await import("../broker/index.ts");
    const props = await loadProperties(file, opts.override);
    if (opts.durable) props.set("hub.durable.acks.all", "true");
    const settings = brokerSettings(props, resolve(opts.dataDir));
    await run(log, [() => startBroker(settings, log.child({ part: "broker" }))]);
  });

program
  .command("registry")
  .description("run only the Schema Registry")
  .argument("[schema-registry.properties]", "registry configuration in Confluent's schema-registry.properties format")
  .addOption(overrideOption())
  .action(async (file: string | undefined, opts: { override: string[] }) => {
    const log = logger();
    const [{ registrySettings, startRegistry }, { kafkaRegistryParts }] = await Promise.all([import("../registry/index.ts"), import("../registry/kafka-parts.ts")]);
    const settings = registrySettings(await loadProperties(file, opts.override));
    await run(log, [() => startRegistry(settings, log.child({ part: "registry" }), kafkaRegistryParts())]);
  });

program
  .command("connect")
  .description("run a Kafka Connect worker (distributed, or standalone with --standalone)")
  .argument("<worker.properties>", "worker configuration (connect-distributed.properties or connect-standalone.properties)")
  .argument("[connector-config...]", "with --standalone: connectors to run, as .properties files or .json files ({name, config} or a config map)")
  .option("--standalone", "standalone mode: offsets in offset.storage.file.filename, connectors from the command line")
  .addOption(overrideOption())
  .action(async (file: string, connectors: string[], opts: { standalone?: boolean; override: string[] }) => {
    const log = logger();
    if (connectors.length > 0 && !opts.standalone) {
      program.error("hub connect: connector property files are only taken with --standalone (distributed workers take connectors over REST)");
    }
    const { connectSettings, readConnectorConfigFile, startConnect } = await import("../connect/index.ts");
    const connectorConfigs = await Promise.all(connectors.map((c) => readConnectorConfigFile(c)));
    const settings = connectSettings(await loadProperties(file, opts.override), opts.standalone ? "standalone" : "distributed", connectorConfigs);
    await run(log, [() => startConnect(settings, log.child({ part: "connect" }))]);
  });

program
  .command("mirror")
  .description("run MirrorMaker 2 flows from an mm2.properties file, as Kafka's connect-mirror-maker does")
  .argument("<mm2.properties>", "MirrorMaker 2 configuration (clusters, A.bootstrap.servers, A->B.enabled, ...)")
  .option("--clusters <aliases...>", "run only the flows whose target is one of these clusters")
  .addOption(overrideOption())
  .action(async (file: string, opts: { clusters?: string[]; override: string[] }) => {
    const log = logger();
    const flows = describeMirrorFlows(await loadProperties(file, opts.override), opts.clusters);
    log.info({ flows }, "MirrorMaker 2 flows in the configuration");
    log.error("the MirrorMaker 2 driver is not built yet (issue #8)");
    process.exitCode = 1;
  });

program.parseAsync().catch((err: unknown) => {
  // Configuration mistakes are the user's to fix: say what is wrong, without a stack trace.
  process.stderr.write(`hub: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
