// security.protocol, ssl.* and sasl.* (Kafka's Java client keys) mapped to the TLS options and
// SASL credentials the project's Kafka client and kafkajs take. Brokers are exercised by
// test/integration/connect/secured-kafka.test.ts.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { ConfigException } from "../../../../connect/api/index.ts";
import { clusterClientOptions, consumerSettings, kafkaClient, saslOptions, securityOptions, sslOptions } from "../../../../connect/runtime/kafka-clients.ts";
import { createLogger } from "../../../../lib/logger.ts";

const dir = mkdtempSync(join(tmpdir(), "kafka-client-security-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const jaas = (module: string, options: string): string => `org.apache.kafka.common.security.${module} required ${options};`;

describe("security.protocol", () => {
  it("PLAINTEXT (the default) asks for neither TLS nor SASL", () => {
    expect(securityOptions({})).toEqual({});
    expect(securityOptions({ "security.protocol": "PLAINTEXT" })).toEqual({});
  });

  it("SSL asks for TLS, SASL_PLAINTEXT for SASL, SASL_SSL for both; any case", () => {
    const sasl = { "sasl.mechanism": "PLAIN", "sasl.jaas.config": jaas("plain.PlainLoginModule", 'username="u" password="p"') };
    expect(securityOptions({ "security.protocol": "ssl" })).toEqual({ tls: {} });
    expect(securityOptions({ "security.protocol": "SASL_PLAINTEXT", ...sasl })).toEqual({ sasl: { mechanism: "PLAIN", username: "u", password: "p" } });
    expect(securityOptions({ "security.protocol": "Sasl_Ssl", ...sasl })).toEqual({ tls: {}, sasl: { mechanism: "PLAIN", username: "u", password: "p" } });
  });

  it("refuses a protocol Kafka does not know, naming the four it does", () => {
    expect(() => securityOptions({ "security.protocol": "TLS" })).toThrow(ConfigException);
    expect(() => securityOptions({ "security.protocol": "TLS" })).toThrow("Invalid value TLS for configuration security.protocol: String must be one of (case insensitive): PLAINTEXT, SSL, SASL_PLAINTEXT, SASL_SSL");
    expect(() => clusterClientOptions({ "security.protocol": "TLS" })).toThrow(ConfigException);
    expect(() => consumerSettings({ "security.protocol": "TLS" })).toThrow(ConfigException);
    expect(() => kafkaClient({ "security.protocol": "TLS" }, createLogger({ level: "silent", format: "json" }))).toThrow(ConfigException);
  });

  it("reaches the project's Kafka client through clusterClientOptions and the sink consumer's settings", () => {
    const props = { "bootstrap.servers": "b:9093", "security.protocol": "SASL_SSL", "sasl.mechanism": "SCRAM-SHA-256", "sasl.jaas.config": jaas("scram.ScramLoginModule", 'username="u" password="p"') };
    expect(clusterClientOptions(props)).toMatchObject({ bootstrapServers: ["b:9093"], tls: {}, sasl: { mechanism: "SCRAM-SHA-256", username: "u", password: "p" } });
    expect(consumerSettings(props).client).toMatchObject({ tls: {}, sasl: { mechanism: "SCRAM-SHA-256" } });
  });
});

describe("sasl.* keys", () => {
  it("reads username and password from the JAAS line, quoted (with escapes) or not", () => {
    expect(saslOptions({ "sasl.mechanism": "scram-sha-512", "sasl.jaas.config": jaas("scram.ScramLoginModule", 'username="a\\"b" password="p;w d"') })).toEqual({
      mechanism: "SCRAM-SHA-512",
      username: 'a"b',
      password: "p;w d",
    });
    expect(saslOptions({ "sasl.mechanism": "PLAIN", "sasl.jaas.config": jaas("plain.PlainLoginModule", "password=secret username=bob") })).toEqual({ mechanism: "PLAIN", username: "bob", password: "secret" });
  });

  it("refuses GSSAPI (Kafka's default mechanism) and other mechanisms it cannot speak", () => {
    expect(() => saslOptions({ "sasl.jaas.config": jaas("plain.PlainLoginModule", 'username="u" password="p"') })).toThrow(/sasl\.mechanism.*PLAIN, SCRAM-SHA-256, SCRAM-SHA-512/);
    expect(() => saslOptions({ "sasl.mechanism": "OAUTHBEARER" })).toThrow(ConfigException);
  });

  it("requires sasl.jaas.config with both credentials, without printing the password", () => {
    expect(() => saslOptions({ "sasl.mechanism": "PLAIN" })).toThrow(/sasl\.jaas\.config.*PlainLoginModule required username/);
    const noUser = (): unknown => saslOptions({ "sasl.mechanism": "SCRAM-SHA-256", "sasl.jaas.config": jaas("scram.ScramLoginModule", 'password="top-secret"') });
    expect(noUser).toThrow(/\[hidden\].*ScramLoginModule/);
    expect(noUser).not.toThrow(/top-secret/);
  });
});

describe("ssl.* keys", () => {
  it("trusts the PEM certificates given inline or in a file, and refuses JKS and PKCS12 trust stores", () => {
    const file = join(dir, "ca.pem");
    writeFileSync(file, "CA-PEM");
    expect(sslOptions({ "ssl.truststore.type": "PEM", "ssl.truststore.location": file }).ca?.toString()).toBe("CA-PEM");
    expect(sslOptions({ "ssl.truststore.type": "PEM", "ssl.truststore.certificates": "INLINE" }).ca).toBe("INLINE");
    expect(() => sslOptions({ "ssl.truststore.location": file })).toThrow(/ssl\.truststore\.type.*JKS/);
    expect(() => sslOptions({ "ssl.truststore.type": "PKCS12", "ssl.truststore.location": file })).toThrow(ConfigException);
  });

  it("takes the client certificate from a PEM key store file, inline chain and key, or a PKCS12 file", () => {
    const pem = join(dir, "keystore.pem");
    writeFileSync(pem, "KEY+CHAIN");
    const fromFile = sslOptions({ "ssl.keystore.type": "PEM", "ssl.keystore.location": pem, "ssl.key.password": "kp" });
    expect([fromFile.cert?.toString(), fromFile.key?.toString(), fromFile.passphrase]).toEqual(["KEY+CHAIN", "KEY+CHAIN", "kp"]);
    expect(sslOptions({ "ssl.keystore.type": "PEM", "ssl.keystore.certificate.chain": "CHAIN", "ssl.keystore.key": "KEY" })).toMatchObject({ cert: "CHAIN", key: "KEY" });
    const p12 = sslOptions({ "ssl.keystore.type": "PKCS12", "ssl.keystore.location": pem, "ssl.keystore.password": "sp" });
    expect([p12.pfx?.toString(), p12.passphrase]).toEqual(["KEY+CHAIN", "sp"]);
    expect(() => sslOptions({ "ssl.keystore.type": "PEM", "ssl.keystore.key": "KEY" })).toThrow(/ssl\.keystore\.certificate\.chain/);
  });

  it("verifies the broker's host name unless ssl.endpoint.identification.algorithm is empty", () => {
    expect(sslOptions({}).checkServerIdentity).toBeUndefined();
    expect(sslOptions({ "ssl.endpoint.identification.algorithm": "https" }).checkServerIdentity).toBeUndefined();
    expect(sslOptions({ "ssl.endpoint.identification.algorithm": "" }).checkServerIdentity?.("host", {} as never)).toBeUndefined();
  });
});
