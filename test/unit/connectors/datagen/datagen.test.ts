import { describe, expect, it } from "vitest";
import { ConfigException, type SourceRecord, Struct } from "../../../../connect/api/index.ts";
import { DatagenConnector, datagenPlugin, DatagenTask, QUICKSTARTS } from "../../../../connectors/datagen/index.ts";
import { startSourceTask, timed } from "../helpers.ts";

const BASE = { "kafka.topic": "gen", quickstart: "orders", "max.interval": "0", "random.seed": "42" };

async function generate(props: Record<string, string>, count: number, committed: Parameters<typeof startSourceTask>[2] = []): Promise<SourceRecord[]> {
  const task = await startSourceTask(new DatagenTask(), props, committed);
  const records: SourceRecord[] = [];
  while (records.length < count) records.push(...((await task.poll()) ?? []));
  await task.stop();
  return records.slice(0, count);
}

/** What a record carries, comparable with toEqual. */
const summary = (r: SourceRecord): unknown => [r.key, (r.value as Struct).toString(), r.sourcePartition, r.sourceOffset];

describe("DatagenTask", () => {
  it("generates schemaful records of every quickstart that validate against its schema", async () => {
    for (const [name, quickstart] of Object.entries(QUICKSTARTS)) {
      const records = await generate({ ...BASE, quickstart: name }, 50);
      for (const r of records) {
        expect(r.topic).toBe("gen");
        expect(r.valueSchema).toBe(quickstart.schema);
        expect(r.value).toBeInstanceOf(Struct);
        (r.value as Struct).validate();
        expect(r.keySchema?.type).toBe("STRING");
        expect(r.key).toBe(String((r.value as Struct).get(quickstart.keyField)));
      }
      expect(quickstart.schema.name).toBe(`ksql.${name === "stock_trades" ? "StockTrade" : name}`);
    }
  });

  it("is deterministic with random.seed, and differs between tasks", async () => {
    const a = await generate(BASE, 20);
    const b = await generate(BASE, 20);
    expect(b.map(summary)).toEqual(a.map(summary));
    const other = await generate({ ...BASE, "task.id": "1" }, 20);
    expect(other[0]!.sourcePartition).toEqual({ "task.id": 1 });
    expect(other.map((r) => (r.value as Struct).toString())).not.toEqual(a.map((r) => (r.value as Struct).toString()));
    const otherSeed = await generate({ ...BASE, "random.seed": "43" }, 20);
    expect(otherSeed.map((r) => (r.value as Struct).toString())).not.toEqual(a.map((r) => (r.value as Struct).toString()));
  });

  it("numbers records in headers and offsets, and resumes the same sequence from a committed offset", async () => {
    const all = await generate(BASE, 10);
    expect(all.map((r) => r.headers.lastWithName("current.iteration")?.value)).toEqual([0n, 1n, 2n, 3n, 4n, 5n, 6n, 7n, 8n, 9n]);
    expect(all[0]!.headers.lastWithName("task.id")?.value).toBe(0n);
    expect(all[0]!.headers.lastWithName("task.generation")?.value).toBe(0n);
    expect(all[3]!.sourceOffset).toMatchObject({ "task.generation": 1, "current.iteration": 4 });
    expect((all.map((r) => (r.value as Struct).get("orderid")))).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);

    // A restarted task finds the offset of record 3 (as numbers or bigints) and continues with record 4.
    const committed = all[3]!.sourceOffset!;
    const asBigints = Object.fromEntries(Object.entries(committed).map(([k, v]) => [k, BigInt(v as number)]));
    for (const offset of [committed, asBigints]) {
      const resumed = await generate(BASE, 6, [[{ "task.id": 0 }, offset]]);
      expect(resumed.map(summary).map((s) => (s as unknown[]).slice(0, 2))).toEqual(all.slice(4).map(summary).map((s) => (s as unknown[]).slice(0, 2)));
      expect(resumed[0]!.headers.lastWithName("task.generation")?.value).toBe(1n);
      expect(resumed[0]!.headers.lastWithName("current.iteration")?.value).toBe(4n);
    }
  });

  it("stops after `iterations` records per task, counting those sent before a restart", async () => {
    const task = await startSourceTask(new DatagenTask(), { ...BASE, iterations: "5" });
    expect((await task.poll())?.length).toBe(5);
    const { value, ms } = await timed(task.poll());
    expect(value).toBeNull();
    expect(ms).toBeGreaterThanOrEqual(900);
    await task.stop();
    const resumed = await startSourceTask(new DatagenTask(), { ...BASE, iterations: "5" }, [[{ "task.id": 0 }, { "task.generation": 1, "current.iteration": 3, "random.seed": 7 }]]);
    expect((await resumed.poll())?.length).toBe(2);
    await resumed.stop();
  });

  it("waits up to max.interval before each record, and returns promptly when stopped", async () => {
    const task = await startSourceTask(new DatagenTask(), { ...BASE, "max.interval": "100" });
    let records = 0;
    const started = performance.now();
    while (records < 10) records += (await task.poll())?.length ?? 0;
    const elapsed = performance.now() - started;
    expect(records).toBe(10); // one record per poll
    expect(elapsed).toBeLessThan(10 * 100 + 500);
    await task.stop();

    const slow = await startSourceTask(new DatagenTask(), { ...BASE, "max.interval": "60000" });
    // A poll waits a random time up to a minute (almost surely more than 200 ms): stop ends it.
    const pending = timed(slow.poll());
    await new Promise((resolve) => setTimeout(resolve, 50));
    await slow.stop();
    const { value, ms } = await pending;
    expect(ms).toBeLessThan(500);
    expect(value).toBeNull(); // nothing generated once stopped
  });
});

describe("DatagenConnector", () => {
  it("answers to Confluent's class name and gives each task its id", () => {
    expect(datagenPlugin.aliases).toContain("io.confluent.kafka.connect.datagen.DatagenConnector");
    const connector = new DatagenConnector();
    connector.start(BASE);
    expect(connector.taskClass()).toBe(DatagenTask);
    expect(connector.taskConfigs(2)).toEqual([
      { ...BASE, "task.id": "0" },
      { ...BASE, "task.id": "1" },
    ]);
  });

  it("rejects bad configs with Kafka's ConfigDef messages", () => {
    const start = (props: Record<string, string>): void => new DatagenConnector().start(props);
    expect(() => start({ quickstart: "users" })).toThrow(new ConfigException('Missing required configuration "kafka.topic" which has no default value.'));
    expect(() => start({ "kafka.topic": "t" })).toThrow(new ConfigException('Missing required configuration "quickstart" which has no default value.'));
    expect(() => start({ "kafka.topic": "t", quickstart: "nope" })).toThrow(
      new ConfigException("Invalid value nope for configuration quickstart: String must be one of (case insensitive): USERS, PAGEVIEWS, ORDERS, STOCK_TRADES, CLICKSTREAM"),
    );
    expect(() => start({ "kafka.topic": "t", quickstart: "users", "max.interval": "-1" })).toThrow(new ConfigException("Invalid value -1 for configuration max.interval: Value must be at least 0"));
    expect(() => start({ "kafka.topic": "t", quickstart: "users", "random.seed": "x" })).toThrow(new ConfigException("Invalid value x for configuration random.seed: Not a number of type LONG"));
    expect(() => start({ "kafka.topic": "t", quickstart: "users", "schema.keyfield": "nope" })).toThrow(new ConfigException("Invalid value nope for configuration schema.keyfield: No field nope in the users quickstart"));
    // Quickstart names are case-insensitive, as kafka-connect-datagen's.
    expect(() => start({ "kafka.topic": "t", quickstart: "USERS", "schema.keyfield": "regionid" })).not.toThrow();
  });
});
