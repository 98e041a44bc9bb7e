// KIP-875 offsets of one connector, as Kafka's Worker reads and modifies them for
// GET/PATCH/DELETE /connectors/{name}/offsets: a source connector's offsets live in the offset
// store (keys ["<connector>",{partition}]), a sink connector's are its consumer group's committed
// offsets. The herders call this once they have checked the connector exists (and, to modify,
// that it is STOPPED). Messages and status codes are Kafka's.
import { ConnectException, type SinkConnector, type SinkOffsetChange, type SourceConnector, type SourceOffsetChange } from "../../api/index.ts";
import type { OffsetBackingStore } from "../../storage/types.ts";
import { offsetMapKey, parseOffsetKey, parseOffsetValue, serializeOffsetKey, serializeOffsetValue, validateOffsetFormat } from "../../storage/offset-codec.ts";
import type { PluginRegistry } from "../plugins/registry.ts";
import type { ConnectorOffset, ConnectorOffsets } from "./entities.ts";
import { BadRequestError } from "./errors.ts";

/** A consumer group's committed offset of one partition. */
export interface GroupPartitionOffset {
  readonly topic: string;
  readonly partition: number;
  readonly offset: number;
}

/** What modifying a sink connector's offsets needs from a Kafka admin client. */
export interface SinkOffsetsAdmin {
  /** The group's committed offsets (partitions without one left out). */
  listOffsets(groupId: string): Promise<GroupPartitionOffset[]>;
  /** Commits offsets for the group; fails if the group has active members. */
  alterOffsets(groupId: string, offsets: readonly GroupPartitionOffset[]): Promise<void>;
  /** Deletes the group's committed offsets of these partitions (OffsetDelete). */
  deleteOffsets(groupId: string, partitions: ReadonlyArray<{ topic: string; partition: number }>): Promise<void>;
  /** Deletes the group; resolves if it does not exist. */
  deleteGroup(groupId: string): Promise<void>;
}

/** Thrown by a SinkOffsetsAdmin when the group still has members (Kafka's GroupNotEmpty/UnknownMemberId). */
export class GroupNotEmptyError extends Error {
  override name = "GroupNotEmptyError";
}

export const KAFKA_TOPIC_KEY = "kafka_topic";
export const KAFKA_PARTITION_KEY = "kafka_partition";
export const KAFKA_OFFSET_KEY = "kafka_offset";

/** The consumer group of a sink connector: `connect-<name>` unless consumer.override.group.id says otherwise. */
export function sinkConsumerGroupId(connector: string, config: Readonly<Record<string, string>>): string {
  return config["consumer.override.group.id"] ?? `connect-${connector}`;
}

/** Java's Long.parseLong / Integer.parseInt on String.valueOf(value). */
function parseJavaInteger(value: unknown, bits: 32 | 64): number | null {
  const text = typeof value === "string" ? value : value === null || value === undefined ? "null" : typeof value === "object" ? "" : String(value);
  if (!/^[+-]?\d+$/.test(text)) return null;
  const n = BigInt(text);
  const limit = bits === 32 ? 2n ** 31n : 2n ** 63n;
  if (n < -limit || n >= limit) return null;
  return Number(n);
}

/** Kafka's SinkUtils.parseSinkConnectorOffsets: BadRequestError (400) for anything malformed. */
export function parseSinkOffsets(offsets: readonly ConnectorOffset[]): SinkOffsetChange[] {
  const parsed = new Map<string, SinkOffsetChange>();
  for (const { partition, offset } of offsets) {
    if (partition === null || partition === undefined) throw new BadRequestError("The partition for a sink connector offset cannot be null or missing");
    if (!(KAFKA_TOPIC_KEY in partition) || !(KAFKA_PARTITION_KEY in partition)) {
      throw new BadRequestError(`The partition for a sink connector offset must contain the keys '${KAFKA_TOPIC_KEY}' and '${KAFKA_PARTITION_KEY}'`);
    }
    const topic = String(partition[KAFKA_TOPIC_KEY]);
    const partitionNumber = parseJavaInteger(partition[KAFKA_PARTITION_KEY], 32);
    if (partitionNumber === null) {
      throw new BadRequestError(`Failed to parse the following Kafka partition value in the provided offsets: '${String(partition[KAFKA_PARTITION_KEY])}'. Partition values for sink connectors need to be integers.`);
    }
    let value: number | null = null;
    if (offset !== null && offset !== undefined) {
      if (!(KAFKA_OFFSET_KEY in offset)) throw new BadRequestError(`The offset for a sink connector should either be null or contain the key '${KAFKA_OFFSET_KEY}'`);
      value = parseJavaInteger(offset[KAFKA_OFFSET_KEY], 64);
      if (value === null) {
        throw new BadRequestError(`Failed to parse the following Kafka offset value in the provided offsets: '${String(offset[KAFKA_OFFSET_KEY])}'. Offset values for sink connectors need to be integers.`);
      }
    }
    parsed.set(`${partitionNumber}\u0000${topic}`, { topic, partition: partitionNumber, offset: value });
  }
  return [...parsed.values()];
}

/** Kafka's success message: definite when the connector's alterOffsets() said it handled them. */
export function modifiedOffsetsMessage(connectorAcknowledged: boolean, isReset: boolean): string {
  const what = isReset ? "reset" : "altered";
  return connectorAcknowledged
    ? `The offsets for this connector have been ${what} successfully`
    : `The Connect framework-managed offsets for this connector have been ${what} successfully. However, if this connector manages offsets externally, they will need to be manually ${what} in the system that the connector uses.`;
}

/** A ConnectException as is; anything else wrapped with Kafka's message (ConnectUtils.maybeWrap). */
function maybeWrap(error: unknown, message: string): Error {
  if (error instanceof ConnectException || error instanceof BadRequestError) return error;
  return new ConnectException(message, { cause: error });
}

export interface ConnectorOffsetsOptions {
  readonly registry: PluginRegistry;
  readonly offsetStore: OffsetBackingStore;
  /** The admin client for sink connectors' consumer groups (null: sink offsets are not available). */
  readonly sinkAdmin: SinkOffsetsAdmin | null;
}

export class ConnectorOffsetsManager {
  readonly #options: ConnectorOffsetsOptions;

  constructor(options: ConnectorOffsetsOptions) {
    this.#options = options;
  }

  #kind(config: Readonly<Record<string, string>>): "source" | "sink" {
    const descriptor = this.#options.registry.require(["source", "sink"], config["connector.class"] ?? "");
    return descriptor.kind;
  }

  #admin(): SinkOffsetsAdmin {
    if (!this.#options.sinkAdmin) throw new ConnectException("This worker has no admin client for sink connector offsets");
    return this.#options.sinkAdmin;
  }

  /** GET /connectors/{name}/offsets. */
  async get(connector: string, config: Readonly<Record<string, string>>): Promise<ConnectorOffsets> {
    if (this.#kind(config) === "sink") {
      const groupId = sinkConsumerGroupId(connector, config);
      let committed: GroupPartitionOffset[];
      try {
        committed = await this.#admin().listOffsets(groupId);
      } catch (err) {
        throw new ConnectException(`Failed to retrieve consumer group offsets for sink connector ${connector}`, { cause: err });
      }
      return {
        offsets: committed.map((o) => ({
          partition: { [KAFKA_PARTITION_KEY]: o.partition, [KAFKA_TOPIC_KEY]: o.topic },
          offset: { [KAFKA_OFFSET_KEY]: o.offset },
        })),
      };
    }
    try {
      const store = this.#options.offsetStore;
      const keys = await store.connectorPartitions(connector);
      const values = await store.get(keys);
      const offsets: ConnectorOffset[] = [];
      for (const key of keys) {
        let parsedKey: ReturnType<typeof parseOffsetKey>;
        try {
          parsedKey = parseOffsetKey(key);
        } catch {
          continue;
        }
        if (parsedKey.connector !== connector) continue;
        const offset = parseOffsetValue(values.get(offsetMapKey(key)) ?? null);
        if (offset === null) continue;
        offsets.push({ partition: (parsedKey.partition ?? null) as ConnectorOffset["partition"], offset });
      }
      return { offsets };
    } catch (err) {
      throw maybeWrap(err, `Failed to retrieve offsets for source connector ${connector}`);
    }
  }

  /** PATCH (offsets given) or DELETE (null: reset) /connectors/{name}/offsets; returns Kafka's message. */
  async modify(connector: string, config: Readonly<Record<string, string>>, offsets: readonly ConnectorOffset[] | null): Promise<string> {
    return this.#kind(config) === "sink" ? this.#modifySink(connector, config, offsets) : this.#modifySource(connector, config, offsets);
  }

  async #modifySource(connector: string, config: Readonly<Record<string, string>>, offsets: readonly ConnectorOffset[] | null): Promise<string> {
    try {
      const isReset = offsets === null;
      let changes: SourceOffsetChange[];
      if (isReset) {
        const keys = await this.#options.offsetStore.connectorPartitions(connector);
        changes = keys.flatMap((k) => {
          try {
            const parsed = parseOffsetKey(k);
            return parsed.connector === connector ? [{ partition: parsed.partition as SourceOffsetChange["partition"], offset: null }] : [];
          } catch {
            return [];
          }
        });
      } else {
        // Kafka keys the request by partition: a partition given twice keeps its last offset.
        const byPartition = new Map<string, SourceOffsetChange>();
        for (const { partition, offset } of offsets) {
          validateOffsetFormat(partition as SourceOffsetChange["partition"]);
          validateOffsetFormat(offset as SourceOffsetChange["offset"]);
          // Normalized through the internal converter, so the connector sees what its tasks read back.
          const key = serializeOffsetKey(connector, partition as SourceOffsetChange["partition"]);
          const normalizedPartition = parseOffsetKey(key).partition as SourceOffsetChange["partition"];
          const normalizedOffset = parseOffsetValue(serializeOffsetValue(connector, offset as SourceOffsetChange["offset"]));
          byPartition.set(offsetMapKey(key), { partition: normalizedPartition, offset: normalizedOffset });
        }
        changes = [...byPartition.values()];
      }
      const instance = this.#options.registry.require("source", config["connector.class"] ?? "").create() as SourceConnector;
      const acknowledged = await instance.alterOffsets(config, changes);
      if (changes.length > 0) {
        await this.#options.offsetStore.set(changes.map((c) => ({ key: serializeOffsetKey(connector, c.partition), value: serializeOffsetValue(connector, c.offset) })));
      }
      return modifiedOffsetsMessage(acknowledged, isReset);
    } catch (err) {
      throw maybeWrap(err, `Failed to modify offsets for source connector ${connector}`);
    }
  }

  async #modifySink(connector: string, config: Readonly<Record<string, string>>, offsets: readonly ConnectorOffset[] | null): Promise<string> {
    const isReset = offsets === null;
    const groupId = sinkConsumerGroupId(connector, config);
    const admin = this.#admin();
    let changes: SinkOffsetChange[];
    if (isReset) {
      try {
        changes = (await admin.listOffsets(groupId)).map((o) => ({ topic: o.topic, partition: o.partition, offset: null }));
      } catch (err) {
        throw new ConnectException(`Failed to list offsets prior to resetting offsets for sink connector ${connector}`, { cause: err });
      }
    } else {
      changes = parseSinkOffsets(offsets);
    }
    let acknowledged: boolean;
    try {
      const instance = this.#options.registry.require("sink", config["connector.class"] ?? "").create() as SinkConnector;
      acknowledged = await instance.alterOffsets(config, changes);
    } catch (err) {
      throw maybeWrap(err, `Failed to modify offsets for sink connector ${connector}`);
    }
    const zombieMessage = (what: "alter" | "reset"): string =>
      `Failed to ${what} consumer group offsets for connector ${connector} either because its tasks haven't stopped completely yet or the connector was resumed before the request to ${what} its offsets could be successfully completed. If the connector is in a stopped state, this operation can be safely retried. If it doesn't eventually succeed, the Connect cluster may need to be restarted to get rid of the zombie sink tasks.`;
    if (isReset) {
      try {
        await admin.deleteGroup(groupId);
      } catch (err) {
        if (err instanceof GroupNotEmptyError) throw new ConnectException(zombieMessage("reset"), { cause: err });
        throw new ConnectException(`Failed to reset consumer group offsets for sink connector ${connector}`, { cause: err });
      }
      return modifiedOffsetsMessage(acknowledged, true);
    }
    try {
      const toAlter = changes.flatMap((c) => (c.offset === null ? [] : [{ topic: c.topic, partition: c.partition, offset: c.offset }]));
      const toDelete = changes.filter((c) => c.offset === null).map((c) => ({ topic: c.topic, partition: c.partition }));
      if (toAlter.length > 0) await admin.alterOffsets(groupId, toAlter);
      if (toDelete.length > 0) await admin.deleteOffsets(groupId, toDelete);
    } catch (err) {
      if (err instanceof GroupNotEmptyError) throw new ConnectException(zombieMessage("alter"), { cause: err });
      throw new ConnectException(`Failed to alter consumer group offsets for connector ${connector}`, { cause: err });
    }
    return modifiedOffsetsMessage(acknowledged, false);
  }
}
