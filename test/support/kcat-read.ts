// Reading a partition back with kcat (librdkafka), a client independent of the broker's own
// code, up to a fixed end (the high watermark of the moment), so that concurrent producers
// cannot keep the read from ending.
import { execFile } from "node:child_process";
import { Kafka, logLevel } from "kafkajs";

export function kcat(args: string[], timeoutMs = 30_000): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile("kcat", args, { timeout: timeoutMs, killSignal: "SIGKILL", maxBuffer: 256 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (error) reject(new Error(`kcat ${args.join(" ")} failed (exit ${String(error.code)}): ${stderr.slice(-2000)}`));
      else resolve(stdout);
    });
  });
}

/** Log start and high watermark of each partition (ListOffsets through kafkajs). */
export async function partitionOffsets(bootstrap: string, topic: string): Promise<Array<{ low: number; high: number }>> {
  const kafka = new Kafka({ clientId: "kcat-read-offsets", brokers: [bootstrap], logLevel: logLevel.NOTHING, retry: { retries: 10, initialRetryTime: 100 } });
  const admin = kafka.admin();
  await admin.connect();
  try {
    const offsets = await admin.fetchTopicOffsets(topic);
    return [...offsets].sort((a, b) => a.partition - b.partition).map((o) => ({ low: Number(o.low), high: Number(o.high) }));
  } finally {
    await admin.disconnect();
  }
}

/**
 * The records of a partition from `from` up to (not including) `end`, with their offsets, as
 * kcat reads them. Checks that kcat got exactly that range, offset after offset (no
 * compaction gaps expected).
 */
export async function readPartition(bootstrap: string, topic: string, partition: number, from: number, end: number): Promise<Array<{ offset: number; value: string }>> {
  if (end <= from) return [];
  const out = await kcat(["-C", "-b", bootstrap, "-t", topic, "-p", String(partition), "-o", String(from), "-c", String(end - from), "-q", "-f", "%o %s\\n"]);
  const records: Array<{ offset: number; value: string }> = [];
  let last = from - 1;
  for (const line of out.split("\n")) {
    if (!line) continue;
    const space = line.indexOf(" ");
    const offset = Number(line.slice(0, space));
    if (offset !== last + 1) throw new Error(`kcat returned offset ${offset} after ${last} on ${topic}-${partition}`);
    last = offset;
    records.push({ offset, value: line.slice(space + 1) });
  }
  if (last !== end - 1) throw new Error(`kcat stopped at offset ${last} on ${topic}-${partition}, expected to reach ${end - 1}`);
  return records;
}
