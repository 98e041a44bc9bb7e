// A full disk, for real: the broker's data directory is a tmpfs of 8 MiB (mounted here, which
// needs root, as CI has), filled up by a file of ours while a producer writes 16 KiB batches.
// Produce must fail with KAFKA_STORAGE_ERROR (56) rather than leave a partial batch in the log;
// the log must stay exactly the batches that were acknowledged, reads keep being served, and
// once the file is removed (space returns) produce works again and offsets go on without a gap.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readdirSync, rmSync, statfsSync, statSync, unlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Kafka, logLevel } from "kafkajs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ErrorCode } from "../../../broker/protocol/generated/errors.ts";
import { buildBatch } from "../../../broker/protocol/records/records.ts";
import { BrokerProcess, freePort } from "../../support/broker-process.ts";
import { partitionOffsets, readPartition } from "../../support/kcat-read.ts";
import { RawKafkaSocket } from "../../support/raw-kafka-socket.ts";

const TOPIC = "full-disk";
const RECORD_BYTES = 16 * 1024;

function mountTmpfs(dir: string, size: string): void {
  try {
    execFileSync("mount", ["-t", "tmpfs", "-o", `size=${size}`, "tmpfs", dir], { stdio: "pipe" });
  } catch (err) {
    throw new Error(
      `this test mounts a ${size} tmpfs to fill a disk for real, which needs root (CI runs as root): ${(err as { stderr?: Buffer }).stderr?.toString().trim() || (err as Error).message}`,
      { cause: err },
    );
  }
}

describe("a full disk", () => {
  let mountDir: string;
  let mounted = false;
  let broker: BrokerProcess | undefined;
  let socket: RawKafkaSocket | undefined;
  const filler = () => join(mountDir, "filler");

  async function produce(value: string): Promise<{ errorCode: number; baseOffset: bigint; bytes: number }> {
    socket ??= await RawKafkaSocket.connect(broker!.options.port);
    const records = buildBatch([{ key: null, value: Buffer.from(value.padEnd(RECORD_BYTES, ".")) }]);
    const response = await socket.request(0, 9, { transactionalId: null, acks: -1, timeoutMs: 5000, topicData: [{ name: TOPIC, partitionData: [{ index: 0, records }] }] });
    const p = response.responses[0]!.partitionResponses[0]!;
    return { errorCode: p.errorCode, baseOffset: p.baseOffset, bytes: records.length };
  }

  const values = async (): Promise<string[]> => {
    const [offsets] = await partitionOffsets(broker!.bootstrap, TOPIC);
    return (await readPartition(broker!.bootstrap, TOPIC, 0, 0, offsets!.high)).map((r) => r.value.replace(/\.+$/, ""));
  };

  const logBytes = (): number => {
    const dir = join(mountDir, "broker", `${TOPIC}-0`);
    return readdirSync(dir)
      .filter((f) => f.endsWith(".log"))
      .reduce((n, f) => n + statSync(join(dir, f)).size, 0);
  };

  beforeAll(async () => {
    mountDir = mkdtempSync(join(tmpdir(), "hub-full-disk-"));
    mountTmpfs(mountDir, "8m");
    mounted = true;
    broker = await BrokerProcess.start({
      dataDir: mountDir,
      port: await freePort(),
      overrides: { "offsets.topic.num.partitions": "1", "log.segment.bytes": "1048576", "num.partitions": "1" },
    });
    const kafka = new Kafka({ clientId: "full-disk-test", brokers: [broker.bootstrap], logLevel: logLevel.NOTHING });
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic: TOPIC, numPartitions: 1 }] });
    await admin.disconnect();
  });

  afterAll(async () => {
    socket?.destroy();
    await broker?.kill();
    if (mounted) execFileSync("umount", [mountDir]);
    rmSync(mountDir, { recursive: true, force: true });
  });

  it("fails produce with KAFKA_STORAGE_ERROR, keeps the log consistent and readable, and recovers when space returns", { timeout: 60_000 }, async () => {
    const acked: string[] = [];
    let ackedBytes = 0;
    for (let i = 0; i < 20; i++) {
      const r = await produce(`before-${i}`);
      expect(r.errorCode).toBe(ErrorCode.NONE);
      acked.push(`before-${i}`);
      ackedBytes += r.bytes;
    }
    // Leave about 1.5 MiB: room for some batches and a segment roll, then none.
    const { bavail, bsize } = statfsSync(mountDir);
    writeFileSync(filler(), Buffer.alloc(Math.max(0, bavail * bsize - 1536 * 1024)));

    let failure: { errorCode: number } | undefined;
    for (let i = 0; i < 400 && !failure; i++) {
      const r = await produce(`fill-${i}`);
      if (r.errorCode === ErrorCode.NONE) {
        expect(r.baseOffset).toBe(BigInt(acked.length));
        acked.push(`fill-${i}`);
        ackedBytes += r.bytes;
      } else failure = r;
    }
    expect(failure?.errorCode, "produce on a full disk").toBe(ErrorCode.KAFKA_STORAGE_ERROR);
    expect(acked.length).toBeGreaterThan(40);
    // Still full: still refused, on the same connection; the broker logged why.
    expect((await produce("still-full")).errorCode).toBe(ErrorCode.KAFKA_STORAGE_ERROR);
    const logged = broker!.lines.find((l) => l.msg.startsWith("a write to a log segment failed") || l.msg.startsWith("could not roll"));
    expect(JSON.stringify(logged)).toMatch(/ENOSPC/);
    // Nothing of the failed batches stayed behind, and everything acknowledged is served.
    expect(logBytes()).toBe(ackedBytes);
    expect(await values()).toEqual(acked);

    unlinkSync(filler());
    const after = await produce("after-space-returned");
    expect(after).toMatchObject({ errorCode: ErrorCode.NONE, baseOffset: BigInt(acked.length) });
    acked.push("after-space-returned");
    ackedBytes += after.bytes;
    expect(await values()).toEqual(acked);

    // And after a crash, the log needs no repair: it was never left torn.
    socket?.destroy();
    socket = undefined;
    await broker!.kill();
    broker = await broker!.restart();
    expect(broker.lines.some((l) => l.msg.startsWith("truncated"))).toBe(false);
    expect(logBytes()).toBe(ackedBytes);
    expect(await values()).toEqual(acked);
  });
});
