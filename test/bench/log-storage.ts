// Micro-benchmark of the partition log alone (no network, no protocol): append throughput of
// produce-sized batches (16 records of 1 KiB, ~16.5 KiB per batch, one batch per append as a
// Produce request per partition brings), then sequential read throughput of the kind a
// consumer drives (1 MiB per fetch) and random single-batch reads. Data stays in the page
// cache: this measures the log's own overhead, not the disk.
//
//   node test/bench/log-storage.ts [MiB to write, default 1024] [dir, default a temp dir]
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DEFAULT_LOG_CONFIG } from "../../broker/log/log-config.ts";
import { PartitionLog } from "../../broker/log/partition-log.ts";
import { validateBatches } from "../../broker/protocol/records/batch.ts";
import { buildBatch } from "../../broker/protocol/records/records.ts";

const totalMiB = Number(process.argv[2] ?? 1024);
const root = process.argv[3] ?? mkdtempSync(join(tmpdir(), "hub-log-bench-"));
const dir = join(root, "bench-0");
const value = Buffer.alloc(1024, 0x61);
const template = buildBatch(Array.from({ length: 16 }, (_, i) => ({ key: Buffer.from(`key-${i}`), value })));
const batches = Math.ceil((totalMiB * 1024 * 1024) / template.length);
const mib = (bytes: number) => bytes / (1024 * 1024);

const log = PartitionLog.open(dir, { ...DEFAULT_LOG_CONFIG, segmentBytes: 256 * 1024 * 1024 });

// Append: what the Produce handler does per partition (validate the batches, then append).
// A fresh copy per append stands in for the request buffer that arrives from the socket.
const copies = Array.from({ length: 64 }, () => Buffer.from(template));
let t = process.hrtime.bigint();
for (let i = 0; i < batches; i++) {
  const records = copies[i % copies.length] as Buffer;
  log.append(records, validateBatches(records));
}
let secs = Number(process.hrtime.bigint() - t) / 1e9;
const bytes = log.sizeInBytes();
console.log(`append: ${batches} batches of ${template.length} B (16 x 1 KiB records), ${mib(bytes).toFixed(0)} MiB in ${secs.toFixed(2)} s = ${(mib(bytes) / secs).toFixed(0)} MiB/s, ${((batches * 16) / secs / 1e3).toFixed(0)}k records/s, ${log.segments.length} segments`);

t = process.hrtime.bigint();
log.flush();
console.log(`flush (fsync): ${(Number(process.hrtime.bigint() - t) / 1e6).toFixed(0)} ms`);

// Sequential reads, 1 MiB per fetch, as a consumer catching up.
t = process.hrtime.bigint();
let offset = log.logStartOffset;
let read = 0;
let fetches = 0;
while (offset < log.logEndOffset) {
  const result = log.read(offset, 1024 * 1024);
  const last = result.records[result.records.length - 1] as Buffer;
  // The next offset: one past the last batch returned (its header only; no record work).
  let pos = 0;
  let lastBatch = 0;
  while (pos < last.length) {
    lastBatch = pos;
    pos += last.readInt32BE(pos + 8) + 12;
  }
  offset = last.readBigInt64BE(lastBatch) + BigInt(last.readInt32BE(lastBatch + 23)) + 1n;
  read += result.totalBytes;
  fetches++;
}
secs = Number(process.hrtime.bigint() - t) / 1e9;
console.log(`read sequential: ${mib(read).toFixed(0)} MiB in ${fetches} fetches of 1 MiB, ${secs.toFixed(2)} s = ${(mib(read) / secs).toFixed(0)} MiB/s`);

// Random reads of one batch (index lookup + header scan + one read each).
const n = 20000;
const end = Number(log.logEndOffset);
t = process.hrtime.bigint();
let got = 0;
for (let i = 0; i < n; i++) got += log.read(BigInt(Math.floor(Math.random() * end)), 1).totalBytes;
secs = Number(process.hrtime.bigint() - t) / 1e9;
console.log(`read random: ${n} single-batch fetches in ${secs.toFixed(2)} s = ${(n / secs / 1e3).toFixed(1)}k fetches/s, ${(mib(got) / secs).toFixed(0)} MiB/s`);

t = process.hrtime.bigint();
log.close();
const reopened = PartitionLog.open(dir, log.config, { cleanShutdown: false });
console.log(`reopen (unclean, tail scan) ${(Number(process.hrtime.bigint() - t) / 1e6).toFixed(1)} ms, LEO ${reopened.logEndOffset}`);
reopened.close();
if (process.argv[3] === undefined) rmSync(root, { recursive: true, force: true });
