// A Connect pipeline through the AvroConverter on the hub's broker and a hub Connect worker, its
// schemas in the hub's registry: a source whose value schema evolves compatibly (a new optional
// field) writes Avro, a sink reads it back with the same converter, each record with the schema
// it was written with; then an incompatible change fails the source task, the registry's 409
// message in the task's trace.
import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type ConnectorProps,
  definePlugin,
  Schema,
  SchemaBuilder,
  SourceConnector,
  SourceRecord,
  SourceTask,
  Struct,
  ConfigDef,
} from "../../../../connect/api/index.ts";
import { stackTraceOf } from "../../../../connect/runtime/errors/java-errors.ts";
import { builtinRegistry } from "../../../../connect/runtime/plugins/builtins.ts";
import { registrySettings, type RunningRegistry, startRegistry } from "../../../../registry/index.ts";
import { unframe } from "../../../../registry/serde/wire-format.ts";
import { newProbedConnector, readTopic, startTestWorker, type TestWorker, waitUntil } from "../../../support/connect-worker.ts";
import { TEST_PLUGINS } from "../../../support/connect-test-plugins.ts";
import { openTarget, type InteropTarget } from "../../../support/interop-targets.ts";

/** What the scripted source emits, by script name (its config's `script`), queued by the test. */
const scripts = new Map<string, Array<{ schema: Schema; value: Struct }>>();

class ScriptedSourceTask extends SourceTask {
  #queue: Array<{ schema: Schema; value: Struct }> = [];
  #topic = "";
  #position = 0;

  override start(props: ConnectorProps): void {
    this.#queue = scripts.get(props.script ?? "") ?? [];
    this.#topic = props.topic ?? "";
  }

  override async poll(): Promise<SourceRecord[] | null> {
    const next = this.#queue.shift();
    if (next === undefined) {
      await new Promise((r) => setTimeout(r, 20));
      return null;
    }
    const position = this.#position++;
    return [
      new SourceRecord({
        sourcePartition: { script: "s" },
        sourceOffset: { position },
        topic: this.#topic,
        keySchema: Schema.STRING_SCHEMA,
        key: `key-${position}`,
        valueSchema: next.schema,
        value: next.value,
      }),
    ];
  }

  override stop(): void {}
}

class ScriptedSourceConnector extends SourceConnector {
  #props: ConnectorProps = {};
  override start(props: ConnectorProps): void {
    this.#props = props;
  }
  override taskClass(): typeof ScriptedSourceTask {
    return ScriptedSourceTask;
  }
  override taskConfigs(): ConnectorProps[] {
    return [this.#props];
  }
  override stop(): void {}
  override version(): string {
    return "test";
  }
  override config(): ConfigDef {
    return new ConfigDef()
      .define({ name: "topic", type: "STRING", importance: "HIGH", documentation: "Topic." })
      .define({ name: "script", type: "STRING", importance: "HIGH", documentation: "The test's script." });
  }
}

const log = pino({ level: "silent" });
let registry: RunningRegistry;
let target: InteropTarget;
let w: TestWorker;

beforeAll(async () => {
  registry = await startRegistry(registrySettings(new Map([["listeners", "http://127.0.0.1:0"]])), log);
  target = await openTarget("hub");
  const plugins = builtinRegistry();
  for (const p of TEST_PLUGINS) plugins.register(p);
  plugins.register(definePlugin({ name: "ScriptedSource", kind: "source", version: "test", aliases: ["hub.test.ScriptedSource"], configDef: new ScriptedSourceConnector().config(), create: () => new ScriptedSourceConnector() }));
  w = await startTestWorker(target.bootstrap, { registry: plugins });
});

afterAll(async () => {
  await w?.close();
  await target?.close();
  await registry?.stop();
});

const V1 = SchemaBuilder.struct().name("com.example.Customer").field("id", Schema.INT64_SCHEMA).field("name", Schema.STRING_SCHEMA).build();
const V2 = SchemaBuilder.struct().name("com.example.Customer").field("id", Schema.INT64_SCHEMA).field("name", Schema.STRING_SCHEMA).field("email", Schema.OPTIONAL_STRING_SCHEMA).build();
const BROKEN = SchemaBuilder.struct().name("com.example.Customer").field("id", Schema.STRING_SCHEMA).field("name", Schema.STRING_SCHEMA).build();

describe("a Connect pipeline with the AvroConverter", () => {
  it("carries a compatibly evolving schema end to end, and fails the task on an incompatible one", async () => {
    const topic = target.unique("avro-pipeline");
    await target.createTopic(topic, 1);
    const script = target.unique("script");
    const queue: Array<{ schema: Schema; value: Struct }> = [
      { schema: V1, value: new Struct(V1).put("id", 1n).put("name", "Ada") },
      { schema: V1, value: new Struct(V1).put("id", 2n).put("name", "Brian") },
      { schema: V2, value: new Struct(V2).put("id", 3n).put("name", "Cleo").put("email", "cleo@example.com") },
    ];
    scripts.set(script, queue);
    const converters = {
      "key.converter": "io.confluent.connect.avro.AvroConverter",
      "key.converter.schema.registry.url": registry.url,
      "value.converter": "io.confluent.connect.avro.AvroConverter",
      "value.converter.schema.registry.url": registry.url,
    };
    const source = target.unique("avro-source");
    await w.run(source, { "connector.class": "hub.test.ScriptedSource", topic, script, ...converters });

    // What the source wrote: Confluent's wire format, two schema ids (v1, v2) for the value.
    const written = await readTopic(target.bootstrap, topic, 3);
    expect(written.length).toBe(3);
    const valueIds = written.map((r) => unframe(r.value as Buffer).schemaId);
    expect(valueIds[0]).toBe(valueIds[1]);
    expect(valueIds[2]).not.toBe(valueIds[0]);
    const versions = await (await fetch(`${registry.url}/subjects/${topic}-value/versions`)).json();
    expect(versions).toEqual([1, 2]);
    expect(await (await fetch(`${registry.url}/subjects/${topic}-key/versions`)).json()).toEqual([1]);

    // A sink reads them back with the same converter: each record with the schema it was written with.
    const { probeName, probe, connector: sink } = newProbedConnector(target, "avro-sink");
    await w.run(sink, { "connector.class": "CollectingSink", topics: topic, "test.probe": probeName, ...converters });
    await waitUntil(() => probe.received.length === 3, 30_000, "3 records at the sink");
    expect(probe.received.map((r) => r.key)).toEqual(["key-0", "key-1", "key-2"]);
    expect(probe.received.map((r) => r.valueSchema?.version)).toEqual([1, 1, 2]);
    const values = probe.received.map((r) => r.value as Struct);
    expect(values.map((v) => v.get("name"))).toEqual(["Ada", "Brian", "Cleo"]);
    expect(values[2]?.get("email")).toBe("cleo@example.com");
    expect(values[0]?.schema.field("email")).toBeNull();

    // An incompatible change (id from long to string) fails the source task with the registry's reason.
    queue.push({ schema: BROKEN, value: new Struct(BROKEN).put("id", "x-4").put("name", "Dov") });
    const failure = await w.listener.waitFor((e) => e.event === "onTaskFailure" && e.connector === source, 30_000, "the source task to fail");
    const trace = stackTraceOf(failure.error);
    expect(trace).toMatch(
      new RegExp(
        `Caused by: org\\.apache\\.kafka\\.common\\.config\\.ConfigException: Failed to access Avro data from topic ${topic} : Schema being registered is incompatible with an earlier schema for subject "${topic}-value", details: \\[.+\\]; error code: 409`,
      ),
    );
    // Nothing of it reached the topic or the registry.
    expect(await (await fetch(`${registry.url}/subjects/${topic}-value/versions`)).json()).toEqual([1, 2]);
    await w.halt(sink);
    await w.halt(source);
  });
});
