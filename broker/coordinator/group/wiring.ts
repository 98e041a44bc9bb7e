// Puts the group coordinator on the broker: its store is the compacted __consumer_offsets
// topic, which is read back at start-up to rebuild every group and committed offset. As in
// Kafka, the topic is created (with offsets.topic.num.partitions partitions) on first use,
// not at start-up: creating 50 partition logs costs the start-up time of a broker that
// may never see a consumer group.
import { validateBatches } from "../../protocol/records/batch.ts";
import { buildBatch, readBatchRecords } from "../../protocol/records/records.ts";
import type { BrokerCore } from "../../core.ts";
import type { Router } from "../../server/router.ts";
import { GroupCoordinator } from "./coordinator.ts";
import { decodeGroupStoreEntry, encodeGroupStoreEntry, OFFSETS_TOPIC_NAME, partitionForGroup } from "./offsets-topic-codec.ts";
import { GroupStoreError, type GroupStore, type GroupStoreEntry } from "./store.ts";
import { ErrorCode } from "../../protocol/generated/errors.ts";
import { groupHandlers } from "../../handlers/group-handlers.ts";

export interface GroupSubsystem {
  readonly coordinator: GroupCoordinator;
  countsByState(): Array<{ state: string; count: number }>;
  stop(): void;
}

const READ_CHUNK = 4 * 1024 * 1024;
const OFFSETS_TOPIC_CONFIGS = { "cleanup.policy": "compact", "segment.bytes": "104857600" };

class OffsetsTopicStore implements GroupStore {
  private readonly core: BrokerCore;
  private readonly partitions: number;

  constructor(core: BrokerCore, partitions: number) {
    this.core = core;
    this.partitions = partitions;
  }

  private ensureTopic(): void {
    if (this.core.logs.topic(OFFSETS_TOPIC_NAME)) return;
    const meta = this.core.logs.createTopic(OFFSETS_TOPIC_NAME, this.partitions, OFFSETS_TOPIC_CONFIGS);
    this.core.log.info({ partitions: meta.partitions }, `created ${OFFSETS_TOPIC_NAME}`);
  }

  // Appends synchronously, so entries land in the log in call order (the GroupStore contract).
  async append(entries: readonly GroupStoreEntry[]): Promise<void> {
    this.ensureTopic();
    const byPartition = new Map<number, GroupStoreEntry[]>();
    for (const e of entries) {
      const p = partitionForGroup(e.groupId, this.partitions);
      const list = byPartition.get(p);
      if (list) list.push(e);
      else byPartition.set(p, [e]);
    }
    const synced: Array<Promise<void>> = [];
    for (const [partition, list] of byPartition) {
      const log = this.core.logs.log(OFFSETS_TOPIC_NAME, partition);
      if (!log) throw new Error(`${OFFSETS_TOPIC_NAME}-${partition} is missing`);
      const batch = buildBatch(list.map((e) => encodeGroupStoreEntry(e)));
      log.append(batch, validateBatches(batch));
      // Durable mode: a commit is acknowledged once fsynced, like an acks=all produce.
      if (this.core.config.durableAcksAll) synced.push(log.sync());
    }
    if (synced.length > 0) {
      await Promise.all(synced).catch((err: unknown) => {
        throw new GroupStoreError(`fsync of ${OFFSETS_TOPIC_NAME} failed: ${(err as Error).message}`, ErrorCode.KAFKA_STORAGE_ERROR);
      });
    }
  }
}

function* replay(core: BrokerCore, partitions: number): Generator<GroupStoreEntry> {
  for (let p = 0; p < partitions; p++) {
    const log = core.logs.log(OFFSETS_TOPIC_NAME, p);
    if (!log) continue;
    let offset = log.logStartOffset;
    while (offset < log.logEndOffset) {
      const { records, totalBytes } = log.read(offset, READ_CHUNK, { minOneBatch: true });
      if (totalBytes === 0) break;
      for (const chunk of records) {
        let pos = 0;
        while (pos < chunk.length) {
          const { info, records: decoded } = readBatchRecords(chunk, pos);
          for (const r of decoded) {
            if (r.offset < offset || r.key === null) continue;
            const entry = decodeGroupStoreEntry(r.key, r.value);
            if (entry) yield entry;
          }
          offset = info.baseOffset + BigInt(info.lastOffsetDelta) + 1n;
          pos += info.size;
        }
      }
    }
  }
}

export async function startGroupCoordinator(core: BrokerCore): Promise<GroupSubsystem> {
  const { config, logs } = core;
  // An existing topic keeps its partition count: groups hash onto it.
  const partitions = logs.topic(OFFSETS_TOPIC_NAME)?.partitions ?? config.offsetsTopicNumPartitions;
  const coordinator = new GroupCoordinator({
    store: new OffsetsTopicStore(core, partitions),
    config: {
      "group.initial.rebalance.delay.ms": config.groupInitialRebalanceDelayMs,
      "group.min.session.timeout.ms": config.groupMinSessionTimeoutMs,
      "group.max.session.timeout.ms": config.groupMaxSessionTimeoutMs,
      "group.max.size": config.groupMaxSize,
      "offset.metadata.max.bytes": config.offsetMetadataMaxBytes,
    },
    logger: core.log.child({ component: "group-coordinator" }),
  });
  const started = Date.now();
  coordinator.load(replay(core, partitions));
  coordinator.startup();
  const counts = coordinator.groupCountsByState();
  core.log.info({ groups: Object.values(counts).reduce((a, b) => a + b, 0), loadMs: Date.now() - started }, "group coordinator loaded");
  return {
    coordinator,
    countsByState: () => Object.entries(coordinator.groupCountsByState()).map(([state, count]) => ({ state, count })),
    stop: () => coordinator.shutdown(),
  };
}

export function registerGroupHandlers(router: Router, core: BrokerCore, groups: GroupSubsystem): void {
  for (const handler of groupHandlers(groups.coordinator, core)) router.register(handler as never);
}
