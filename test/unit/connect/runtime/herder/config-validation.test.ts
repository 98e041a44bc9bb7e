// The KIP-891 parts of connector config validation and of GET /connector-plugins/{p}/config:
// version keys with the resolved plugins' versions, class recommenders, the transformation and
// predicate aliases' keys in Kafka's order, and version requirements a plugin does not meet.
// test/interop/connect-rest compares the whole answers with Kafka Connect's.
import { describe, expect, it } from "vitest";
import type { ConfigValueInfo } from "../../../../../connect/api/index.ts";
import { type RawConnectorConfig, validateConnectorConfig } from "../../../../../connect/runtime/herder/config-validation.ts";
import type { ConfigInfos } from "../../../../../connect/runtime/herder/entities.ts";
import { BadRequestError } from "../../../../../connect/runtime/herder/errors.ts";
import { pluginConfig } from "../../../../../connect/runtime/herder/plugin-info.ts";
import { builtinRegistry } from "../../../../../connect/runtime/plugins/builtins.ts";
import { HUB_VERSION } from "../../../../../lib/version.ts";

const registry = builtinRegistry();
const T = "org.apache.kafka.connect.transforms.";
const JSON_CONVERTER = "org.apache.kafka.connect.json.JsonConverter";
const SIMPLE_HEADER_CONVERTER = "org.apache.kafka.connect.storage.SimpleHeaderConverter";
const options = { workerConverters: { key: JSON_CONVERTER, value: JSON_CONVERTER, header: SIMPLE_HEADER_CONVERTER } };
const source = { "connector.class": "FileStreamSource", name: "s", topic: "t" };

const validate = (props: RawConnectorConfig): Promise<ConfigInfos> => validateConnectorConfig(registry, props, options);
const values = (infos: ConfigInfos): Map<string, ConfigValueInfo> => new Map(infos.configs.flatMap((c) => (c.value ? [[c.value.name, c.value] as const] : [])));
const names = (infos: ConfigInfos): string[] => infos.configs.map((c) => c.value?.name ?? c.definition?.name ?? "?");

describe("GET /connector-plugins/{plugin}/config", () => {
  it("shows the plugin's version as connector.plugin.version's default, no converter defaults, and no internal keys", () => {
    const keys = new Map(pluginConfig(registry, "FileStreamSource").map((k) => [k.name, k]));
    expect(keys.get("connector.plugin.version")?.default_value).toBe(HUB_VERSION);
    for (const name of ["key.converter", "value.converter", "header.converter", "key.converter.plugin.version", "value.converter.plugin.version", "header.converter.plugin.version"]) {
      expect(keys.get(name)?.default_value, name).toBeNull();
    }
    // The source dead letter queue is a hub extension: defined (internal) but not listed.
    expect([...keys.keys()].filter((k) => k.startsWith("errors.deadletterqueue."))).toEqual([]);
    expect(keys.get("connector.plugin.version")?.order_in_group).toBe(3);
  });
});

describe("PUT /connector-plugins/{plugin}/config/validate", () => {
  it("gives each version key the resolved plugin's version and recommends it; class keys recommend every plugin of their kind", async () => {
    const infos = await validate({ ...source, "key.converter": "org.apache.kafka.connect.converters.BooleanConverter" });
    expect(infos.error_count).toBe(0);
    const v = values(infos);
    for (const name of ["connector.plugin.version", "key.converter.plugin.version", "value.converter.plugin.version", "header.converter.plugin.version"]) {
      expect([v.get(name)?.value, v.get(name)?.recommended_values, v.get(name)?.visible], name).toEqual([HUB_VERSION, [HUB_VERSION], true]);
    }
    expect(v.get("key.converter")?.value).toBe("org.apache.kafka.connect.converters.BooleanConverter");
    expect(v.get("value.converter")?.value).toBe(JSON_CONVERTER);
    expect(v.get("key.converter")?.recommended_values).toEqual(expect.arrayContaining([JSON_CONVERTER, "org.apache.kafka.connect.converters.BooleanConverter"]));
    expect(v.get("key.converter")?.recommended_values).not.toContain(SIMPLE_HEADER_CONVERTER);
    expect(v.get("header.converter")?.recommended_values).toContain(SIMPLE_HEADER_CONVERTER);
    expect(v.get("tasks.max")?.recommended_values).toEqual([]);
  });

  it("lists an alias's type and plugin.version first, then its keys in Kafka's embed order", async () => {
    const infos = await validate({
      ...source,
      transforms: "a,b",
      "transforms.a.type": `${T}InsertField$Value`,
      "transforms.b.type": `${T}RegexRouter`,
      "transforms.b.regex": "x",
      "transforms.b.replacement": "y",
      predicates: "p",
      "predicates.p.type": `${T}predicates.TopicNameMatches`,
      "predicates.p.pattern": "x",
    });
    const aliasKeys = names(infos).filter((n) => n.startsWith("transforms.") || n.startsWith("predicates."));
    expect(aliasKeys).toEqual([
      "transforms.a.type",
      "transforms.a.plugin.version",
      // All optional and MEDIUM: by name, `negate` and `predicate` among InsertField's own keys.
      "transforms.a.negate",
      "transforms.a.offset.field",
      "transforms.a.partition.field",
      "transforms.a.predicate",
      "transforms.a.replace.null.with.default",
      "transforms.a.static.field",
      "transforms.a.static.value",
      "transforms.a.timestamp.field",
      "transforms.a.topic.field",
      "transforms.b.type",
      "transforms.b.plugin.version",
      // Required keys first.
      "transforms.b.regex",
      "transforms.b.replacement",
      "transforms.b.negate",
      "transforms.b.predicate",
      "predicates.p.type",
      "predicates.p.plugin.version",
      "predicates.p.pattern",
    ]);
    const v = values(infos);
    expect(v.get("transforms.a.type")?.recommended_values).toEqual(expect.arrayContaining([`${T}InsertField$Value`, `${T}RegexRouter`]));
    expect(v.get("transforms.a.type")?.recommended_values).not.toContain(`${T}predicates.TopicNameMatches`);
    expect(v.get("predicates.p.type")?.recommended_values).toEqual(expect.arrayContaining([`${T}predicates.TopicNameMatches`, `${T}predicates.HasHeaderKey`]));
    expect([v.get("transforms.b.plugin.version")?.value, v.get("transforms.b.plugin.version")?.recommended_values]).toEqual([HUB_VERSION, [HUB_VERSION]]);
    const definition = infos.configs.find((c) => c.definition?.name === "transforms.b.plugin.version")?.definition;
    expect([definition?.group, definition?.order_in_group, definition?.display_name, definition?.default_value]).toEqual(["Transforms: b", 1, "Transformation version for b", HUB_VERSION]);
  });

  it("gives an unknown alias type no value and a version key without a version", async () => {
    const v = values(await validate({ ...source, transforms: "a", "transforms.a.type": "com.Nope" }));
    expect(v.get("transforms.a.type")?.value).toBeNull();
    expect(v.get("transforms.a.type")?.errors).toEqual(["Invalid value com.Nope for configuration transforms.a.type: Class com.Nope could not be found."]);
    expect([v.get("transforms.a.plugin.version")?.value, v.get("transforms.a.plugin.version")?.recommended_values]).toEqual([null, []]);
  });

  it("reports an alias version its plugin does not meet on its type and version keys, and leaves its keys out", async () => {
    const infos = await validate({ ...source, transforms: "a", "transforms.a.type": `${T}RegexRouter`, "transforms.a.plugin.version": "[99.0,)" });
    const message = `Plugin ${T}RegexRouter not found that matches the version range [99.0,), available versions: [${HUB_VERSION}]`;
    expect(infos.error_count).toBe(2);
    const v = values(infos);
    expect(v.get("transforms.a.type")?.errors).toEqual([message]);
    expect(v.get("transforms.a.plugin.version")?.errors).toEqual([message]);
    expect(names(infos).filter((n) => n.startsWith("transforms.a."))).toEqual(["transforms.a.type", "transforms.a.plugin.version"]);
    // A spec that does not parse: Maven's message, on both keys too.
    const bad = values(await validate({ ...source, predicates: "p", "predicates.p.type": `${T}predicates.RecordIsTombstone`, "predicates.p.plugin.version": "[1.0" }));
    expect(bad.get("predicates.p.type")?.errors).toEqual(["Unbounded range: [1.0"]);
    expect(bad.get("predicates.p.plugin.version")?.errors).toEqual(["Unbounded range: [1.0"]);
  });

  it("checks a converter version against the converter only when the connector names the converter (as Kafka 4.3)", async () => {
    const v = values(await validate({ ...source, "key.converter.plugin.version": "99.0", "value.converter.plugin.version": "(1.0)" }));
    expect([v.get("key.converter.plugin.version")?.value, v.get("key.converter.plugin.version")?.errors]).toEqual(["99.0", []]);
    expect(v.get("value.converter.plugin.version")?.errors).toEqual(["Single version must be surrounded by []: (1.0)"]);
    const named = values(await validate({ ...source, "key.converter": JSON_CONVERTER, "key.converter.plugin.version": "99.0" }));
    const message = `Plugin ${JSON_CONVERTER} not found that matches the version range [99.0,99.0], available versions: [${HUB_VERSION}]`;
    expect(named.get("key.converter")?.errors).toEqual([message]);
    expect(named.get("key.converter.plugin.version")?.errors).toEqual([message]);
    // The converter's own keys are not validated then.
    expect(named.has("key.converter.schemas.enable")).toBe(false);
  });

  it("checks a connector version against the common keys only when the connector does not meet it", async () => {
    const infos = await validate({ ...source, "connector.plugin.version": "99.0" });
    const message = `Plugin org.apache.kafka.connect.file.FileStreamSourceConnector not found that matches the version range [99.0,99.0], available versions: [${HUB_VERSION}]`;
    expect(infos.error_count).toBe(2);
    expect(infos.groups).toEqual(["Common", "Transforms", "Predicates", "Error Handling"]);
    const v = values(infos);
    expect(v.get("connector.class")?.errors).toEqual([message]);
    expect([v.get("connector.plugin.version")?.value, v.get("connector.plugin.version")?.errors, v.get("connector.plugin.version")?.recommended_values]).toEqual(["99.0", [message], [HUB_VERSION]]);
    expect([v.get("key.converter")?.value, v.get("key.converter.plugin.version")?.visible]).toEqual([null, false]);
    expect(v.has("topic")).toBe(false);
    // latest, a range it meets, or its exact version: no error.
    for (const spec of ["latest", "[0.0.1,)", HUB_VERSION]) expect((await validate({ ...source, "connector.plugin.version": spec })).error_count, spec).toBe(0);
    // A spec that does not parse fails the request.
    await expect(validate({ ...source, "connector.plugin.version": "[1.0" })).rejects.toThrow(new BadRequestError("Unbounded range: [1.0"));
  });

  it("lists an internal key (a hub extension) only when its value is wrong", async () => {
    expect(names(await validate(source)).filter((n) => n.startsWith("errors.deadletterqueue."))).toEqual([]);
    const v = values(await validate({ ...source, "errors.deadletterqueue.context.headers.enable": "maybe" }));
    expect(v.get("errors.deadletterqueue.context.headers.enable")?.errors).toHaveLength(1);
  });
});
