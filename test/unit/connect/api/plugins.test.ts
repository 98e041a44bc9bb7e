// The base classes' defaults: a plugin that overrides only what it must still works.
import { describe, expect, it } from "vitest";
import {
  ConfigDef,
  type ConnectRecord,
  type ConnectorProps,
  type PluginDescriptor,
  Predicate,
  SinkConnector,
  type SinkRecord,
  SinkRecord as SinkRecordClass,
  SinkTask,
  type SourceRecord,
  SourceTask,
  SourceConnector,
  type TopicPartitionOffset,
  Transformation,
  definePlugin,
} from "../../../../connect/api/index.ts";

class CountingSinkTask extends SinkTask {
  written = 0;
  flushed: TopicPartitionOffset[] = [];
  start(): void {}
  put(records: SinkRecord[]): void {
    this.written += records.length;
  }
  override async flush(offsets: readonly TopicPartitionOffset[]): Promise<void> {
    this.flushed = [...offsets];
  }
  stop(): void {}
}

class NullSourceTask extends SourceTask {
  start(): void {}
  poll(): SourceRecord[] | null {
    return null;
  }
  stop(): void {}
}

const CONFIG = new ConfigDef().define({ name: "topics", type: "LIST", importance: "HIGH", documentation: "Topics." });

class ExampleSinkConnector extends SinkConnector {
  events: string[] = [];
  start(props: ConnectorProps): void {
    this.events.push(`start ${props.topics}`);
  }
  taskClass() {
    return CountingSinkTask;
  }
  taskConfigs(maxTasks: number): ConnectorProps[] {
    return Array.from({ length: maxTasks }, () => ({}));
  }
  async stop(): Promise<void> {
    this.events.push("stop");
  }
  config(): ConfigDef {
    return CONFIG;
  }
}

describe("SinkTask", () => {
  it("preCommit flushes and commits every offset by default; open/close do nothing", async () => {
    const task = new CountingSinkTask();
    const offsets = [{ topic: "t", partition: 0, offset: 10 }];
    expect(await task.preCommit(offsets)).toEqual(offsets);
    expect(task.flushed).toEqual(offsets);
    await task.open([{ topic: "t", partition: 0 }]);
    await task.close([{ topic: "t", partition: 0 }]);
    expect(task.version()).toBe("unknown");
  });
});

describe("SourceTask", () => {
  it("commit and commitRecord do nothing by default", async () => {
    const task = new NullSourceTask();
    await task.commit();
    await task.commitRecord({} as SourceRecord, null);
    expect(await task.poll()).toBeNull();
  });
});

describe("Connector", () => {
  it("validates with its ConfigDef by default", async () => {
    const connector = new ExampleSinkConnector();
    const { configValues } = await connector.validate({});
    expect(configValues.map((v) => [v.name, v.errors])).toEqual([["topics", ['Missing required configuration "topics" which has no default value.']]]);
    expect(await connector.alterOffsets({}, [])).toBe(false);
    expect(SinkConnector.TOPICS_CONFIG).toBe("topics");
  });

  it("reconfigures by stopping and starting again", async () => {
    const connector = new ExampleSinkConnector();
    await connector.reconfigure({ topics: "a" });
    expect(connector.events).toEqual(["stop", "start a"]);
    expect(new (connector.taskClass())()).toBeInstanceOf(SinkTask);
  });

  it("source connectors do not manage offsets by default", async () => {
    class S extends SourceConnector {
      start(): void {}
      taskClass() {
        return NullSourceTask;
      }
      taskConfigs(): ConnectorProps[] {
        return [];
      }
      stop(): void {}
      config(): ConfigDef {
        return new ConfigDef();
      }
    }
    expect(await new S().alterOffsets({}, [{ partition: { f: 1 }, offset: null }])).toBe(false);
  });
});

describe("Transformation and Predicate", () => {
  it("only apply/test and config are required", () => {
    class Upper extends Transformation {
      apply(record: ConnectRecord): ConnectRecord {
        return record.newRecord({ value: String(record.value).toUpperCase() });
      }
      config(): ConfigDef {
        return new ConfigDef();
      }
    }
    class Always extends Predicate {
      test(): boolean {
        return true;
      }
      config(): ConfigDef {
        return new ConfigDef();
      }
    }
    const descriptor: PluginDescriptor<"transformation"> = definePlugin({
      name: "upper",
      kind: "transformation",
      version: "1",
      aliases: ["com.example.Upper"],
      configDef: new ConfigDef(),
      create: () => new Upper(),
    });
    const smt = descriptor.create();
    smt.configure({});
    const out = smt.apply(new SinkRecordClass({ topic: "t", kafkaPartition: 0, kafkaOffset: 1, value: "abc" }));
    expect(out?.value).toBe("ABC");
    expect(out).toBeInstanceOf(SinkRecordClass);
    smt.close();
    expect(new Always().test()).toBe(true);
  });
});
