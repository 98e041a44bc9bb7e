import { describe, expect, it } from "vitest";
import { ConfigException, Password } from "../../../../connect/api/index.ts";
import { clientOptions, RegistryConfigError, registryAuth, registryUrls } from "../../../../registry/client/index.ts";
import { avroConverterConfigDef } from "../../../../registry/converters/avro-converter.ts";
import { serdeSettings } from "../../../../registry/converters/serde-config.ts";

describe("registry client configuration (Confluent's keys)", () => {
  it("reads schema.registry.url as a comma-separated list, and requires it", () => {
    expect(registryUrls({ "schema.registry.url": "http://a:8081, http://b:8081" })).toEqual(["http://a:8081", "http://b:8081"]);
    expect(registryUrls({ "schema.registry.url": ["http://a:8081", "http://b:8081"] })).toEqual(["http://a:8081", "http://b:8081"]);
    expect(() => registryUrls({})).toThrow(new RegistryConfigError('Missing required configuration "schema.registry.url" which has no default value.'));
  });

  it("reads basic authentication from USER_INFO, SASL_INHERIT, or the URL (the default)", () => {
    expect(registryAuth({})).toEqual({ kind: "none" });
    expect(registryAuth({ "basic.auth.credentials.source": "URL" })).toEqual({ kind: "none" });
    expect(registryAuth({ "basic.auth.credentials.source": "USER_INFO", "basic.auth.user.info": "fred:letmein" })).toEqual({ kind: "basic", userInfo: "fred:letmein" });
    expect(registryAuth({ "basic.auth.credentials.source": "USER_INFO", "schema.registry.basic.auth.user.info": "old:style" })).toEqual({ kind: "basic", userInfo: "old:style" });
    expect(registryAuth({ "basic.auth.credentials.source": "USER_INFO", "basic.auth.user.info": new Password("p:w") })).toEqual({ kind: "basic", userInfo: "p:w" });
    expect(
      registryAuth({ "basic.auth.credentials.source": "SASL_INHERIT", "sasl.jaas.config": 'org.apache.kafka.common.security.plain.PlainLoginModule required username="u" password="p";' }),
    ).toEqual({ kind: "basic", userInfo: "u:p" });
    expect(() => registryAuth({ "basic.auth.credentials.source": "USER_INFO" })).toThrow("basic.auth.user.info must be set");
    expect(() => registryAuth({ "basic.auth.credentials.source": "KERBEROS" })).toThrow("Invalid value KERBEROS for configuration basic.auth.credentials.source");
  });

  it("reads a static bearer token, and refuses both kinds at once", () => {
    expect(registryAuth({ "bearer.auth.credentials.source": "STATIC_TOKEN", "bearer.auth.token": "t0k", "bearer.auth.logical.cluster": "lsrc-1" })).toEqual({
      kind: "bearer",
      token: "t0k",
      logicalCluster: "lsrc-1",
    });
    expect(() => registryAuth({ "basic.auth.credentials.source": "USER_INFO", "bearer.auth.credentials.source": "STATIC_TOKEN" })).toThrow(
      "Only one of 'basic.auth.credentials.source' and 'bearer.auth.credentials.source' may be specified",
    );
  });

  it("reads the cache and timeout keys", () => {
    expect(clientOptions({ "schema.registry.url": "http://r:8081", "max.schemas.per.subject": "10", "latest.cache.ttl.sec": "30", "http.read.timeout.ms": "1000", "http.connect.timeout.ms": "500" })).toMatchObject({
      urls: ["http://r:8081"],
      maxSchemasPerSubject: 10,
      latestCacheTtlSec: 30,
      timeoutMs: 1500,
    });
  });
});

describe("the converters' serde keys", () => {
  it("have Confluent's defaults", () => {
    const settings = serdeSettings(avroConverterConfigDef().parse({ "converter.type": "value", "schema.registry.url": "http://r:8081" }));
    expect(settings).toMatchObject({ autoRegister: true, useSchemaId: -1, useLatestVersion: false, latestCompatStrict: true, normalize: false, idCompatStrict: true });
    expect(settings.keyStrategy.name).toBe("TopicNameStrategy");
    expect(settings.valueStrategy.name).toBe("TopicNameStrategy");
  });

  it("take Confluent's strategy class names and refuse unknown ones", () => {
    const parsed = avroConverterConfigDef().parse({
      "converter.type": "value",
      "schema.registry.url": "http://r:8081",
      "value.subject.name.strategy": "io.confluent.kafka.serializers.subject.TopicRecordNameStrategy",
      "auto.register.schemas": "false",
      "use.latest.version": "true",
    });
    const settings = serdeSettings(parsed);
    expect(settings.valueStrategy.name).toBe("TopicRecordNameStrategy");
    expect([settings.autoRegister, settings.useLatestVersion]).toEqual([false, true]);
    expect(() => avroConverterConfigDef().parse({ "converter.type": "value", "schema.registry.url": "http://r", "key.subject.name.strategy": "com.example.Mine" })).toThrow(ConfigException);
    expect(() => avroConverterConfigDef().parse({ "converter.type": "value" })).toThrow('Missing required configuration "schema.registry.url" which has no default value.');
  });
});
