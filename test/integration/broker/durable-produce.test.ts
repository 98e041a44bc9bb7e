// Durable mode (hub.durable.acks.all=true) through the Produce and OffsetCommit APIs: acks=all
// is answered only after the fsync, acks=1 is not held back, concurrent producers share
// fsyncs (group commit), and a failed fsync answers KAFKA_STORAGE_ERROR. The fsync is replaced
// by a gate the test opens (setSyncImplementation), so "not answered yet" is certain rather
// than a matter of timing.
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { setSyncImplementation, type SyncFile } from "../../../broker/log/log-sync.ts";
import { ErrorCode } from "../../../broker/protocol/generated/errors.ts";
import { buildBatch } from "../../../broker/protocol/records/records.ts";
import { startHubBroker, type HubBrokerHandle } from "../../support/hub-broker.ts";
import { RawKafkaSocket } from "../../support/raw-kafka-socket.ts";
import { createLogger } from "../../../lib/logger.ts";

const TOPIC = "durable";
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** An fsync that waits until the test opens the gate, counting the files it was asked for. */
class SyncGate {
  calls: string[] = [];
  failWith: Error | undefined;
  private open = false;
  private waiters: Array<() => void> = [];

  readonly sync: SyncFile = async (path) => {
    this.calls.push(path);
    if (!this.open) await new Promise<void>((r) => this.waiters.push(r));
    if (this.failWith) throw this.failWith;
  };

  close(): void {
    this.open = false;
  }

  release(): void {
    this.open = true;
    for (const w of this.waiters.splice(0)) w();
  }

  /** fsync calls of the topic's partition 0 segment files. */
  logSyncs(): number {
    return this.calls.filter((c) => c.includes(`${TOPIC}-0`) && c.endsWith(".log")).length;
  }
}

describe("durable mode (hub.durable.acks.all=true)", () => {
  let broker: HubBrokerHandle;
  const gate = new SyncGate();
  const sockets: RawKafkaSocket[] = [];

  const connect = async (): Promise<RawKafkaSocket> => {
    const s = await RawKafkaSocket.connect(broker.port);
    sockets.push(s);
    return s;
  };

  const produce = (socket: RawKafkaSocket, acks: number, value: string) =>
    socket
      .request(0, 9, { transactionalId: null, acks, timeoutMs: 10_000, topicData: [{ name: TOPIC, partitionData: [{ index: 0, records: buildBatch([{ key: null, value: Buffer.from(value) }]) }] }] }, 15_000)
      .then((r) => r.responses[0]!.partitionResponses[0]!);

  /** Whether the promise settles within `ms`. */
  const settlesWithin = async (p: Promise<unknown>, ms: number): Promise<boolean> => {
    let settled = false;
    void p.then(
      () => (settled = true),
      () => (settled = true),
    );
    await sleep(ms);
    return settled;
  };

  const leo = () => broker.broker.core.logs.log(TOPIC, 0)!.logEndOffset;

  beforeAll(async () => {
    // The fsync failure below is logged as an error: expected here, so not printed.
    broker = await startHubBroker({ overrides: { "hub.durable.acks.all": "true", "offsets.topic.num.partitions": "1" }, log: createLogger({ level: "fatal", format: "json" }) });
    broker.broker.core.logs.createTopic(TOPIC, 1);
    setSyncImplementation(gate.sync);
  });

  afterEach(() => {
    gate.failWith = undefined;
    gate.release();
  });

  afterAll(async () => {
    setSyncImplementation(undefined);
    for (const s of sockets) s.destroy();
    await broker?.destroy();
  });

  it("answers acks=all only after the fsync, and acks=1 without waiting for it", async () => {
    const socket = await connect();
    gate.close();
    const all = produce(socket, -1, "needs-fsync");
    expect(await settlesWithin(all, 150)).toBe(false);
    expect(leo()).toBe(1n); // appended (and readable) already; only the answer waits
    gate.release();
    expect(await all).toMatchObject({ errorCode: ErrorCode.NONE, baseOffset: 0n });

    gate.close();
    const other = await connect();
    const one = await produce(other, 1, "no-wait");
    expect(one).toMatchObject({ errorCode: ErrorCode.NONE, baseOffset: 1n });
  });

  it("lets concurrent producers share fsyncs (group commit)", async () => {
    const producers = await Promise.all(Array.from({ length: 20 }, () => connect()));
    gate.close();
    const syncsBefore = gate.logSyncs();
    const leoBefore = leo();
    const first = produce(producers[0]!, -1, "g-first");
    while (gate.logSyncs() === syncsBefore || leo() === leoBefore) await sleep(5);
    const before = gate.logSyncs();
    const start = leo();
    const rest = producers.slice(1).map((s, i) => produce(s, -1, `g-${i}`));
    // All nineteen are appended while the first fsync is held...
    const deadline = Date.now() + 5000;
    while (leo() < start + 19n && Date.now() < deadline) await sleep(5);
    expect(leo()).toBe(start + 19n);
    expect(await settlesWithin(Promise.race(rest), 50)).toBe(false);
    gate.release();
    const answers = await Promise.all([first, ...rest]);
    expect(answers.every((a) => a.errorCode === ErrorCode.NONE)).toBe(true);
    // ...and then one more fsync answers all of them.
    expect(gate.logSyncs() - before).toBe(1);
  });

  it("answers KAFKA_STORAGE_ERROR when the fsync fails, and recovers when it works again", async () => {
    const socket = await connect();
    gate.failWith = Object.assign(new Error("EIO: i/o error, fdatasync"), { code: "EIO" });
    gate.release();
    const failed = await produce(socket, -1, "eio");
    expect(failed.errorCode).toBe(ErrorCode.KAFKA_STORAGE_ERROR);
    expect(failed.errorMessage).toMatch(/fsync failed: EIO/);
    gate.failWith = undefined;
    expect(await produce(socket, -1, "fine-again")).toMatchObject({ errorCode: ErrorCode.NONE });
  });

  it("acknowledges an offset commit only after its fsync", async () => {
    const socket = await connect();
    gate.close();
    const commit = socket.request(8, 8, {
      groupId: "durable-group",
      generationIdOrMemberEpoch: -1,
      memberId: "",
      groupInstanceId: null,
      retentionTimeMs: -1n,
      topics: [{ name: TOPIC, partitions: [{ partitionIndex: 0, committedOffset: 1n, committedLeaderEpoch: -1, commitTimestamp: -1n, committedMetadata: null }] }],
    });
    expect(await settlesWithin(commit, 150)).toBe(false);
    gate.release();
    expect((await commit).topics[0]!.partitions[0]!.errorCode).toBe(ErrorCode.NONE);
  });
});
