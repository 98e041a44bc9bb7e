// `hub registry` settings from Confluent's schema-registry.properties keys.
import { describe, expect, it } from "vitest";
import { registrySettings, RegistrySettingsError } from "../../../registry/index.ts";

describe("registrySettings", () => {
  it("has Confluent's defaults", () => {
    const s = registrySettings(new Map());
    expect(s.listener).toEqual({ scheme: "http", host: "127.0.0.1", port: 8081 });
    expect(s).toMatchObject({
      topic: "_schemas",
      replicationFactor: 3,
      storeTimeoutMs: 500,
      initTimeoutMs: 60_000,
      groupId: "schema-registry",
      hostName: "127.0.0.1",
      hostPort: null,
      leaderEligibility: true,
      compatibilityLevel: "BACKWARD",
      modeMutability: true,
    });
  });

  it("reads the keys of schema-registry.properties, older names included", () => {
    const s = registrySettings(
      new Map([
        ["listeners", "http://0.0.0.0:9081"],
        ["kafkastore.bootstrap.servers", "PLAINTEXT://k1:9092,PLAINTEXT://k2:9092"],
        ["kafkastore.topic", "_schemas_b"],
        ["kafkastore.topic.replication.factor", "1"],
        ["kafkastore.topic.config.min.insync.replicas", "1"],
        ["kafkastore.timeout.ms", "2000"],
        ["host.name", "sr-1.internal"],
        ["host.port", "443"],
        ["master.eligibility", "false"],
        ["avro.compatibility.level", "full_transitive"],
        ["mode.mutability", "false"],
        ["schema.registry.group.id", "sr-b"],
      ]),
    );
    expect(s).toMatchObject({
      listener: { scheme: "http", host: "0.0.0.0", port: 9081 },
      bootstrapServers: "PLAINTEXT://k1:9092,PLAINTEXT://k2:9092",
      topic: "_schemas_b",
      replicationFactor: 1,
      topicConfigs: { "min.insync.replicas": "1" },
      storeTimeoutMs: 2000,
      hostName: "sr-1.internal",
      hostPort: 443,
      leaderEligibility: false,
      compatibilityLevel: "FULL_TRANSITIVE",
      modeMutability: false,
      groupId: "sr-b",
    });
    expect(registrySettings(new Map([["schema.compatibility.level", "none"], ["avro.compatibility.level", "full"]])).compatibilityLevel).toBe("NONE");
  });

  it("refuses values that are not of the key's type", () => {
    expect(() => registrySettings(new Map([["schema.compatibility.level", "sideways"]]))).toThrow(RegistrySettingsError);
    expect(() => registrySettings(new Map([["kafkastore.timeout.ms", "soon"]]))).toThrow(/kafkastore.timeout.ms/);
    expect(() => registrySettings(new Map([["leader.eligibility", "maybe"]]))).toThrow(/leader.eligibility/);
  });
});
