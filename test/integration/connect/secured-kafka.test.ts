// The Connect runtime on a secured Apache Kafka (test/support/secure-kafka.ts), configured the way
// Kafka Connect users configure it: security.protocol, ssl.* and sasl.* for the worker's own
// clients, and again under producer.* and consumer.* for the tasks' clients. A distributed hub
// worker that reaches Kafka only through the SASL_SSL listener runs a FileStreamSource → topic →
// FileStreamSink pipeline; the output file must end up with every input line. The Java-style
// keys are also checked one by one against a listener that requires a client certificate (PEM
// key store file, or inline chain and key), for both clients the runtime builds from them (the
// project's Kafka client and kafkajs); and a worker given a wrong password must fail to start at
// once with the broker's reason.
import { appendFile, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Kafka, logLevel } from "kafkajs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ConfigException } from "../../../connect/api/index.ts";
import { clusterClientOptions, kafkaClient, type ClientProps } from "../../../connect/runtime/kafka-clients.ts";
import { AuthenticationError, KafkaClusterClient } from "../../../lib/kafka-client/index.ts";
import { createLogger } from "../../../lib/logger.ts";
import { startHubConnectWorker, type HubConnectWorker } from "../../support/hub-connect.ts";
import { waitFor } from "../../support/poll.ts";
import { SECURE_USER, startSecureKafka, type SecureKafka } from "../../support/secure-kafka.ts";
import { rest } from "../../support/rest-call.ts";

const TOPIC = "secured-lines";
const INITIAL_LINES = 500;
const MORE_LINES = 300;

let kafka: SecureKafka;
let dir: string;
const silent = createLogger({ level: "silent", format: "json" });

const line = (n: number): string => `line-${String(n).padStart(5, "0")}`;

/** The client settings of a SASL_SSL connection as SCRAM-SHA-512, under `prefix` (the worker's own: ""). */
function saslSsl(prefix: string, password: string = SECURE_USER.password): Record<string, string> {
  return {
    [`${prefix}security.protocol`]: "SASL_SSL",
    [`${prefix}sasl.mechanism`]: "SCRAM-SHA-512",
    [`${prefix}sasl.jaas.config`]: `org.apache.kafka.common.security.scram.ScramLoginModule required username="${SECURE_USER.username}" password="${password}";`,
    [`${prefix}ssl.truststore.type`]: "PEM",
    [`${prefix}ssl.truststore.location`]: kafka.pems.caFile,
  };
}

beforeAll(async () => {
  kafka = await startSecureKafka();
  dir = await mkdtemp(join(tmpdir(), "secured-connect-"));
  // Set-up over the PLAINTEXT listener: the topic exists before either connector runs.
  const admin = new Kafka({ clientId: "secured-setup", brokers: [kafka.plaintext], logLevel: logLevel.NOTHING }).admin();
  try {
    await admin.connect();
    await admin.createTopics({ topics: [{ topic: TOPIC, numPartitions: 2 }], waitForLeaders: true });
  } finally {
    await admin.disconnect();
  }
}, 180_000);

afterAll(async () => {
  await kafka?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe("Connect on a SASL_SSL Kafka listener", () => {
  it("a distributed hub worker runs FileStreamSource → topic → FileStreamSink; the output has every line", async () => {
    const input = join(dir, "input.txt");
    const output = join(dir, "output.txt");
    await writeFile(input, Array.from({ length: INITIAL_LINES }, (_, i) => `${line(i)}\n`).join(""));
    let worker: HubConnectWorker | undefined;
    try {
      worker = await startHubConnectWorker({
        bootstrap: kafka.saslTls,
        mode: "distributed",
        props: {
          "key.converter": "org.apache.kafka.connect.storage.StringConverter",
          "value.converter": "org.apache.kafka.connect.storage.StringConverter",
          "offset.flush.interval.ms": "500",
          "config.storage.replication.factor": "1",
          "offset.storage.replication.factor": "1",
          "status.storage.replication.factor": "1",
          ...saslSsl(""),
          ...saslSsl("producer."),
          ...saslSsl("consumer."),
        },
      });
      const url = worker.url;
      // 409 until the worker has joined its group and read the config topic.
      const create = (name: string, config: Record<string, string>): Promise<unknown> =>
        waitFor(`connector ${name} created`, async () => (await rest(url, "PUT", `/connectors/${name}/config`, config)).status === 201, 60_000);
      await create("src", { "connector.class": "FileStreamSource", file: input, topic: TOPIC, "tasks.max": "1" });
      await create("sink", { "connector.class": "FileStreamSink", file: output, topics: TOPIC, "tasks.max": "1" });

      const running = async (name: string): Promise<boolean> => {
        const { status, json } = await rest(url, "GET", `/connectors/${name}/status`);
        const s = json as { connector: { state: string }; tasks: { state: string; trace?: string }[] };
        return status === 200 && s.connector.state === "RUNNING" && s.tasks.length === 1 && s.tasks.every((t) => t.state === "RUNNING");
      };
      const statuses = async (): Promise<string> => JSON.stringify([(await rest(url, "GET", "/connectors/src/status")).json, (await rest(url, "GET", "/connectors/sink/status")).json]);
      await waitFor("both connectors RUNNING", async () => (await running("src")) && (await running("sink")), 60_000).catch(async (e: Error) => {
        throw new Error(`${e.message}\n${await statuses()}`);
      });
      // Lines appended while the pipeline runs go through as well.
      await appendFile(input, Array.from({ length: MORE_LINES }, (_, i) => `${line(INITIAL_LINES + i)}\n`).join(""));

      const expected = Array.from({ length: INITIAL_LINES + MORE_LINES }, (_, i) => line(i));
      const seen = async (): Promise<Set<string>> => new Set((await readFile(output, "utf8").catch(() => "")).split("\n").filter((l) => l !== ""));
      await waitFor("every line in the output file", async () => (await seen()).size === expected.length, 90_000).catch(async (e: Error) => {
        throw new Error(`${e.message} (${(await seen()).size} of ${expected.length})\n${await statuses()}`);
      });
      expect([...(await seen())].sort()).toEqual(expected);
      expect(await running("src")).toBe(true);
      expect(await running("sink")).toBe(true);
    } finally {
      await worker?.stop();
    }
  });

  it("a worker with a wrong password does not start, and says why at once", async () => {
    const started = Date.now();
    const failure = await startHubConnectWorker({ bootstrap: kafka.saslTls, mode: "distributed", props: { ...saslSsl("", "wrong-password") } }).then(
      async (w) => {
        await w.stop();
        throw new Error("the worker started with a wrong password");
      },
      (err: unknown) => err as Error,
    );
    expect(failure).toBeInstanceOf(AuthenticationError);
    expect(failure.message).toMatch(/^SASL_AUTHENTICATION_FAILED: .*SCRAM-SHA-512.*invalid credentials/);
    expect(Date.now() - started).toBeLessThan(5000);
  });
});

describe("Java-style client settings against a listener requiring a client certificate", () => {
  const sslCases: { name: string; props: () => ClientProps }[] = [
    {
      name: "PEM trust store and key store files",
      props: () => ({
        "security.protocol": "SSL",
        "ssl.truststore.type": "PEM",
        "ssl.truststore.location": kafka.pems.caFile,
        "ssl.keystore.type": "PEM",
        "ssl.keystore.location": kafka.pems.clientKeystoreFile,
      }),
    },
    {
      name: "inline PEM certificates, chain and key",
      props: () => ({
        "security.protocol": "ssl",
        "ssl.truststore.type": "PEM",
        "ssl.truststore.certificates": kafka.pems.ca,
        "ssl.keystore.type": "PEM",
        "ssl.keystore.certificate.chain": kafka.pems.clientCert,
        "ssl.keystore.key": kafka.pems.clientKey,
      }),
    },
  ];

  it.each(sslCases)("$name: the project's Kafka client and kafkajs both connect", async ({ props }) => {
    const all = { "bootstrap.servers": kafka.tls, "client.id": "secured-settings", ...props() };
    const client = new KafkaClusterClient({ ...clusterClientOptions(all), logger: silent });
    try {
      const meta = await client.metadata();
      expect([...meta.brokers.values()].map((b) => `${b.host}:${b.port}`)).toEqual([kafka.tls]);
    } finally {
      await client.close();
    }
    const admin = kafkaClient(all, silent).admin();
    try {
      await admin.connect();
      expect((await admin.describeCluster()).brokers.map((b) => `${b.host}:${b.port}`)).toEqual([kafka.tls]);
    } finally {
      await admin.disconnect();
    }
  });

  it("without the key store the broker refuses the handshake: SSL_AUTHENTICATION_FAILED", async () => {
    const all = { "bootstrap.servers": kafka.tls, "security.protocol": "SSL", "ssl.truststore.type": "PEM", "ssl.truststore.location": kafka.pems.caFile };
    const client = new KafkaClusterClient({ ...clusterClientOptions(all), logger: silent });
    try {
      await expect(client.metadata()).rejects.toMatchObject({ name: "AuthenticationError", errorName: "SSL_AUTHENTICATION_FAILED" });
    } finally {
      await client.close();
    }
  });

  it("SASL_PLAINTEXT with each mechanism, and a security.protocol Kafka does not know", async () => {
    for (const mechanism of ["PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512"]) {
      const module = mechanism === "PLAIN" ? "plain.PlainLoginModule" : "scram.ScramLoginModule";
      const all = {
        "bootstrap.servers": kafka.sasl,
        "security.protocol": "SASL_PLAINTEXT",
        "sasl.mechanism": mechanism,
        "sasl.jaas.config": `org.apache.kafka.common.security.${module} required username="${SECURE_USER.username}" password="${SECURE_USER.password}";`,
      };
      const client = new KafkaClusterClient({ ...clusterClientOptions(all), logger: silent });
      try {
        expect((await client.metadata()).clusterId).toBeTruthy();
      } finally {
        await client.close();
      }
    }
    expect(() => clusterClientOptions({ "bootstrap.servers": kafka.sasl, "security.protocol": "SASL_TLS" })).toThrow(ConfigException);
  });
});
