// `hub registry` keeping its `_schemas` topic on a secured Kafka (SASL_SSL with SCRAM-SHA-512, and
// TLS trust from a PEM file), configured with Confluent's kafkastore.* keys: schemas registered,
// and read back by a second instance started afterwards; a wrong password stops the registry at
// start-up with the broker's reason.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SECURE_USER, startSecureKafka, type SecureKafka } from "../../support/secure-kafka.ts";
import { startRegistryProcess } from "../../support/registry-process.ts";

let kafka: SecureKafka;

function kafkastore(password: string = SECURE_USER.password): Record<string, string> {
  return {
    "kafkastore.security.protocol": "SASL_SSL",
    "kafkastore.sasl.mechanism": "SCRAM-SHA-512",
    "kafkastore.sasl.jaas.config": `org.apache.kafka.common.security.scram.ScramLoginModule required username="${SECURE_USER.username}" password="${password}";`,
    "kafkastore.ssl.truststore.type": "PEM",
    "kafkastore.ssl.truststore.location": kafka.pems.caFile,
    "kafkastore.init.timeout.ms": "15000",
  };
}

beforeAll(async () => {
  kafka = await startSecureKafka();
}, 180_000);

afterAll(async () => {
  await kafka?.stop();
});

describe("the registry on a SASL_SSL Kafka", () => {
  it("stores schemas in _schemas over SASL_SSL, and a new instance reads them back", async () => {
    const topic = `_schemas-secured-${Date.now().toString(36)}`;
    const first = await startRegistryProcess({ bootstrap: `SASL_SSL://${kafka.saslTls}`, topic, props: kafkastore() });
    let id: number;
    try {
      const res = await fetch(`${first.url}/subjects/secured-value/versions`, {
        method: "POST",
        headers: { "content-type": "application/vnd.schemaregistry.v1+json" },
        body: JSON.stringify({ schema: JSON.stringify({ type: "record", name: "S", fields: [{ name: "a", type: "int" }] }) }),
      });
      expect(res.status).toBe(200);
      id = ((await res.json()) as { id: number }).id;
    } finally {
      await first.stop();
    }
    const second = await startRegistryProcess({ bootstrap: kafka.saslTls, topic, props: kafkastore() });
    try {
      const got = await fetch(`${second.url}/schemas/ids/${id}`);
      expect(got.status).toBe(200);
      expect(JSON.parse(((await got.json()) as { schema: string }).schema)).toEqual({ type: "record", name: "S", fields: [{ name: "a", type: "int" }] });
    } finally {
      await second.stop();
    }
  }, 120_000);

  it("refuses to start with a wrong password, saying why", async () => {
    const error = await startRegistryProcess({ bootstrap: kafka.saslTls, props: kafkastore("wrong-password") }).then(
      async (r) => {
        await r.stop();
        return null;
      },
      (e: unknown) => e as Error,
    );
    expect(error).not.toBeNull();
    expect(error?.message).toMatch(/SASL_AUTHENTICATION_FAILED|Authentication failed/i);
    expect(error?.message).not.toContain("wrong-password");
  }, 120_000);
});
