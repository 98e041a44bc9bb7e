// The project's Kafka client on secured Apache Kafka listeners (test/support/secure-kafka.ts):
// SASL_PLAINTEXT with PLAIN, SCRAM-SHA-256 and SCRAM-SHA-512, SSL with a client certificate, and
// SASL_SSL. Each reads cluster metadata and a topic (PartitionReader, which connects to the
// partition leader through the address the metadata gives, on the same listener). Refusals must
// be clear and final: a wrong password, an untrusted CA, a missing client certificate, a
// mechanism the listener does not offer or SASL against a listener without it reject with
// AuthenticationError within a moment, from the client, the reader and the group member alike,
// instead of being retried as if the network had failed. A broker that limits SASL sessions
// (KIP-368) sees its connections replaced before they expire.
import { Kafka, logLevel } from "kafkajs";
import type { ConnectionOptions as TlsOptions } from "node:tls";
import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  AuthenticationError,
  GroupMember,
  isRetriable,
  KafkaClusterClient,
  PartitionReader,
  type KafkaClusterClientOptions,
  type SaslMechanism,
} from "../../../lib/kafka-client/index.ts";
import { BrokerConnection } from "../../../lib/kafka-client/connection.ts";
import { ApiKey } from "../../../broker/protocol/generated/index.ts";
import { createLogger } from "../../../lib/logger.ts";
import { REAUTH_SESSION_MS, SECURE_USER, startSecureKafka, type SecureKafka } from "../../support/secure-kafka.ts";
import { readToEnd, str, waitFor } from "./helpers.ts";

const TOPIC = "secured-records";
const PARTITIONS = 2;
const RECORDS = 40;

let kafka: SecureKafka;
const clients: KafkaClusterClient[] = [];

function client(options: Omit<KafkaClusterClientOptions, "clientId">): KafkaClusterClient {
  const c = new KafkaClusterClient({ clientId: "security-test", connectTimeoutMs: 10_000, ...options });
  clients.push(c);
  return c;
}

const user = (mechanism: SaslMechanism, password: string = SECURE_USER.password) => ({ mechanism, username: SECURE_USER.username, password });

/** The rejection of `promise`, failing the test if it resolves. */
async function rejection(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (err) {
    return err as Error;
  }
  throw new Error("expected a rejection");
}

beforeAll(async () => {
  kafka = await startSecureKafka();
  const admin = new Kafka({ clientId: "security-setup", brokers: [kafka.plaintext], logLevel: logLevel.NOTHING }).admin();
  const producer = new Kafka({ clientId: "security-setup", brokers: [kafka.plaintext], logLevel: logLevel.NOTHING }).producer();
  try {
    await admin.connect();
    await admin.createTopics({ topics: [{ topic: TOPIC, numPartitions: PARTITIONS }], waitForLeaders: true });
    await producer.connect();
    await producer.send({ topic: TOPIC, messages: Array.from({ length: RECORDS }, (_, i) => ({ partition: i % PARTITIONS, key: `k${i}`, value: `record-${i}` })) });
  } finally {
    await producer.disconnect();
    await admin.disconnect();
  }
}, 180_000);

afterAll(async () => {
  await Promise.allSettled(clients.map((c) => c.close()));
  await kafka?.stop();
});

describe("reading over secured listeners", () => {
  const cases: { name: string; listener: () => string; tls?: () => TlsOptions; sasl?: SaslMechanism }[] = [
    { name: "SASL_PLAINTEXT with PLAIN", listener: () => kafka.sasl, sasl: "PLAIN" },
    { name: "SASL_PLAINTEXT with SCRAM-SHA-256", listener: () => kafka.sasl, sasl: "SCRAM-SHA-256" },
    { name: "SASL_PLAINTEXT with SCRAM-SHA-512", listener: () => kafka.sasl, sasl: "SCRAM-SHA-512" },
    { name: "SSL with a client certificate", listener: () => kafka.tls, tls: () => ({ ca: kafka.pems.ca, cert: kafka.pems.clientCert, key: kafka.pems.clientKey }) },
    { name: "SASL_SSL with SCRAM-SHA-512", listener: () => kafka.saslTls, tls: () => ({ ca: kafka.pems.ca }), sasl: "SCRAM-SHA-512" },
    // A host name rather than an IP: SNI is sent and the certificate's DNS name is checked.
    { name: "SASL_SSL with PLAIN, by host name", listener: () => kafka.saslTls.replace("127.0.0.1", "localhost"), tls: () => ({ ca: kafka.pems.ca }), sasl: "PLAIN" },
  ];

  it.each(cases)("$name: metadata and every record of a topic", async ({ listener, tls, sasl }) => {
    const c = client({ bootstrapServers: [listener()], ...(tls ? { tls: tls() } : {}), ...(sasl ? { sasl: user(sasl) } : {}) });
    const meta = await c.metadata([TOPIC]);
    // The broker advertises its address on the listener the client came in by.
    const port = Number(listener().split(":").pop());
    expect([...meta.brokers.values()].map((b) => b.port)).toEqual([port]);
    expect(meta.clusterId).toBeTruthy();
    expect(meta.topics.get(TOPIC)?.partitions.size).toBe(PARTITIONS);

    const reader = new PartitionReader(c);
    const partitions = Array.from({ length: PARTITIONS }, (_, partition) => ({ topic: TOPIC, partition }));
    reader.assign(partitions.map((p) => ({ ...p, offset: "earliest" })));
    const records = await readToEnd(reader, partitions);
    await reader.close();
    expect(records.map((r) => str(r.value)).sort()).toEqual(Array.from({ length: RECORDS }, (_, i) => `record-${i}`).sort());
    expect(records.every((r) => str(r.key) === `k${Number(str(r.value)?.slice(7))}`)).toBe(true);
  });

  it("joins a group over SASL_SSL (the coordinator's connection authenticates too)", async () => {
    const c = client({ bootstrapServers: [kafka.saslTls], tls: { ca: kafka.pems.ca }, sasl: user("SCRAM-SHA-256") });
    const member = new GroupMember(c, { groupId: "security-group", protocolType: "connect", sessionTimeoutMs: 6000, rebalanceTimeoutMs: 10_000, heartbeatIntervalMs: 500 });
    const joined = await member.join([{ name: "default", metadata: Buffer.from("m") }], async ({ members }) => new Map(members.map((m) => [m.memberId, Buffer.from("assigned")])));
    expect(joined.isLeader).toBe(true);
    expect(joined.assignment.toString()).toBe("assigned");
    await member.leave();
  });
});

describe("refusals", () => {
  it("a wrong password: SASL_AUTHENTICATION_FAILED with the broker's message, at once, from the client, the reader and the group member", async () => {
    for (const mechanism of ["PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512"] as const) {
      const c = client({ bootstrapServers: [kafka.sasl], sasl: user(mechanism, "not-the-password") });
      const started = Date.now();
      const err = await rejection(c.metadata());
      expect(err).toBeInstanceOf(AuthenticationError);
      expect(isRetriable(err)).toBe(false);
      expect((err as AuthenticationError).errorName).toBe("SASL_AUTHENTICATION_FAILED");
      expect(err.message).toMatch(/^SASL_AUTHENTICATION_FAILED: broker 127\.0\.0\.1:\d+ refused/);
      expect(err.message).toContain(mechanism);
      expect(err.message).toMatch(/[Ii]nvalid/); // the broker's own words
      expect(Date.now() - started).toBeLessThan(3000);
    }

    const c = client({ bootstrapServers: [kafka.sasl], sasl: user("SCRAM-SHA-256", "not-the-password") });
    const reader = new PartitionReader(c);
    reader.assign([{ topic: TOPIC, partition: 0, offset: "earliest" }]);
    let started = Date.now();
    expect(await rejection(reader.poll({ maxWaitMs: 200 }))).toBeInstanceOf(AuthenticationError);
    expect(Date.now() - started).toBeLessThan(3000);
    started = Date.now();
    expect(await rejection(reader.endOffsets([{ topic: TOPIC, partition: 0 }]))).toBeInstanceOf(AuthenticationError);
    expect(Date.now() - started).toBeLessThan(3000);
    await reader.close();

    const member = new GroupMember(c, { groupId: "security-refused", protocolType: "connect", joinTimeoutMs: 60_000 });
    started = Date.now();
    expect(await rejection(member.join([{ name: "default", metadata: Buffer.alloc(0) }], async () => new Map()))).toBeInstanceOf(AuthenticationError);
    expect(Date.now() - started).toBeLessThan(3000);
    member.stop();
  });

  it("a mechanism the listener does not offer: UNSUPPORTED_SASL_MECHANISM naming the ones it does", async () => {
    const err = await rejection(client({ bootstrapServers: [kafka.reauth], sasl: user("SCRAM-SHA-256") }).metadata());
    expect(err).toBeInstanceOf(AuthenticationError);
    expect((err as AuthenticationError).errorName).toBe("UNSUPPORTED_SASL_MECHANISM");
    expect(err.message).toContain("it offers: PLAIN");
  });

  it("SASL against a listener without it: ILLEGAL_SASL_STATE, not a retry loop", async () => {
    const err = await rejection(client({ bootstrapServers: [kafka.plaintext], sasl: user("PLAIN") }).metadata());
    expect(err).toBeInstanceOf(AuthenticationError);
    expect((err as AuthenticationError).errorName).toBe("ILLEGAL_SASL_STATE");
    expect(err.message).toContain("security.protocol");
  });

  it("a broker certificate from a CA the client does not trust: SSL_AUTHENTICATION_FAILED at once", async () => {
    for (const bootstrap of [kafka.saslTls, kafka.tls]) {
      const c = client({ bootstrapServers: [bootstrap], tls: { ca: kafka.pems.otherCa, cert: kafka.pems.clientCert, key: kafka.pems.clientKey }, sasl: user("PLAIN") });
      const started = Date.now();
      const err = await rejection(c.metadata());
      expect(err).toBeInstanceOf(AuthenticationError);
      expect(isRetriable(err)).toBe(false);
      expect((err as AuthenticationError).errorName).toBe("SSL_AUTHENTICATION_FAILED");
      expect(err.message).toMatch(/^SSL_AUTHENTICATION_FAILED: TLS handshake with broker 127\.0\.0\.1:\d+ failed: .*certificate/);
      expect(Date.now() - started).toBeLessThan(3000);
    }
  });

  it("a certificate for another host name, and no client certificate where one is required: SSL_AUTHENTICATION_FAILED", async () => {
    const wrongName = await rejection(client({ bootstrapServers: [kafka.saslTls], tls: { ca: kafka.pems.ca, servername: "kafka.example.com" }, sasl: user("PLAIN") }).metadata());
    expect(wrongName).toBeInstanceOf(AuthenticationError);
    expect(wrongName.message).toMatch(/kafka\.example\.com/);
    const noClientCert = await rejection(client({ bootstrapServers: [kafka.tls], tls: { ca: kafka.pems.ca } }).metadata());
    expect(noClientCert).toBeInstanceOf(AuthenticationError);
    expect((noClientCert as AuthenticationError).errorName).toBe("SSL_AUTHENTICATION_FAILED");
  });
});

describe("SASL session lifetime (connections.max.reauth.ms)", () => {
  it("stops using a connection before its session expires and closes it; the client goes on over a new one", async () => {
    const [host, port] = kafka.reauth.split(":") as [string, string];
    const logger = createLogger({ level: "silent", format: "json" });
    const opened = Date.now();
    const conn = await BrokerConnection.open({ host, port: Number(port), clientId: "security-test", connectTimeoutMs: 10_000, logger, sasl: user("PLAIN") });
    let closedAt = 0;
    conn.onClose(() => (closedAt = Date.now()));
    const meta = await conn.request(ApiKey.Metadata, conn.version(ApiKey.Metadata), { topics: [], allowAutoTopicCreation: false, includeClusterAuthorizedOperations: false, includeTopicAuthorizedOperations: false }, 5000);
    expect(meta.brokers.map((b) => b.port)).toEqual([Number(port)]);
    expect(conn.isOpen).toBe(true);
    await waitFor("the connection to retire", () => (conn.isOpen ? undefined : true), REAUTH_SESSION_MS + 2000);
    const retiredAfter = Date.now() - opened;
    expect(retiredAfter).toBeGreaterThan(REAUTH_SESSION_MS * 0.7);
    expect(retiredAfter).toBeLessThan(REAUTH_SESSION_MS);
    expect(closedAt).toBeGreaterThan(0); // idle: closed at once

    // A client keeps working across several session lifetimes, and every connection it loses
    // is one it retired itself: the broker never had to close one on an expired session.
    const events: { msg?: string; err?: string }[] = [];
    const captured = pino({ level: "debug" }, { write: (line: string) => void events.push(JSON.parse(line) as { msg?: string; err?: string }) });
    const c = client({ bootstrapServers: [kafka.reauth], sasl: user("PLAIN"), logger: captured });
    const reader = new PartitionReader(c);
    const partitions = [{ topic: TOPIC, partition: 0 }];
    const until = Date.now() + REAUTH_SESSION_MS * 2.2;
    let rounds = 0;
    while (Date.now() < until) {
      reader.assign(partitions.map((p) => ({ ...p, offset: "earliest" })));
      expect((await readToEnd(reader, partitions, 5000)).length).toBe(RECORDS / PARTITIONS);
      rounds++;
      await new Promise((r) => setTimeout(r, 300));
    }
    expect(rounds).toBeGreaterThan(3);
    await reader.close();
    expect(events.filter((e) => e.msg === "SASL session about to expire; moving to a new connection").length).toBeGreaterThanOrEqual(2);
    const closes = events.filter((e) => e.msg === "kafka connection closed");
    expect(closes.length).toBeGreaterThanOrEqual(2);
    expect(closes.filter((e) => !/before its SASL session expired/.test(e.err ?? ""))).toEqual([]);
  });
});
