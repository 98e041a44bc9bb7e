// The broker going away under the registry's log: the hub's broker runs as a child process,
// a writer appends records to `_schemas` one after the other, and the broker is SIGKILLed and
// restarted on the same data directory. While it is down, appends fail with a store error
// (what the REST layer answers 50001/50002) instead of hanging; the reader keeps retrying and
// resumes; afterwards appends work again, and every append that was acknowledged is in the
// log, read back by the log that wrote it and by a fresh one, at the same offsets.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { KafkaClusterClient } from "../../../../lib/kafka-client/index.ts";
import { KafkaRegistryLog } from "../../../../registry/store/kafka-log.ts";
import type { RegistryLogRecord } from "../../../../registry/store/log.ts";
import { RegistryStoreError } from "../../../../registry/store/store-errors.ts";
import { BrokerProcess, freePort } from "../../../support/broker-process.ts";
import { waitFor } from "../../../support/poll.ts";

describe("KafkaRegistryLog when the broker is SIGKILLed and restarted", () => {
  let broker: BrokerProcess | undefined;
  let dataDir: string | undefined;
  const cleanups: (() => Promise<void>)[] = [];

  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c().catch(() => undefined);
    await broker?.kill();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  const openLog = async (bootstrap: string, applied: Map<number, RegistryLogRecord>): Promise<KafkaRegistryLog> => {
    const client = new KafkaClusterClient({ bootstrapServers: [bootstrap], clientId: "registry-crash", requestTimeoutMs: 5000, connectTimeoutMs: 2000 });
    const log = new KafkaRegistryLog({ client, timeoutMs: 3000, initTimeoutMs: 30_000 });
    cleanups.push(async () => {
      await log.close();
      await client.close();
    });
    await log.start((r) => applied.set(r.offset, r));
    return log;
  };

  it("fails appends while the broker is down, resumes after it restarts, and loses nothing acknowledged", async () => {
    dataDir = await mkdtemp(join(tmpdir(), "registry-crash-"));
    broker = await BrokerProcess.start({ dataDir, port: await freePort() });
    const seen = new Map<number, RegistryLogRecord>();
    const log = await openLog(broker.bootstrap, seen);

    const acknowledged = new Map<number, string>();
    const failures: Error[] = [];
    let stop = false;
    const writer = (async () => {
      for (let i = 0; !stop; i++) {
        const key = `{"keytype":"SCHEMA","subject":"s","version":${i},"magic":1}`;
        try {
          const offset = await log.append(Buffer.from(key), Buffer.from(`{"id":${i}}`));
          acknowledged.set(offset, key);
        } catch (err) {
          failures.push(err as Error);
          await new Promise((r) => setTimeout(r, 100));
        }
      }
    })();

    await waitFor("20 acknowledged appends", () => acknowledged.size >= 20, 30_000);
    await broker.kill();
    const killedWith = acknowledged.size;
    await waitFor("an append failing while the broker is down", () => failures.length >= 3, 30_000);
    for (const err of failures) {
      expect(err).toBeInstanceOf(RegistryStoreError);
      expect(err.message).toMatch(/"_schemas"/);
    }
    // At most the append in flight at the kill was acknowledged after it.
    expect(acknowledged.size).toBeLessThanOrEqual(killedWith + 1);

    broker = await broker.restart();
    const restartedWith = acknowledged.size;
    await waitFor("20 more acknowledged appends after the restart", () => acknowledged.size >= restartedWith + 20, 60_000);
    stop = true;
    await writer;

    // Every acknowledged append is in the log at its offset: the writing log applied it (read-your-writes)...
    for (const [offset, key] of acknowledged) expect(seen.get(offset)?.key.toString(), `offset ${offset}`).toBe(key);
    // ...and a log started afresh reads the same records at the same offsets.
    const fresh = new Map<number, RegistryLogRecord>();
    await openLog(broker.bootstrap, fresh);
    for (const [offset, key] of acknowledged) expect(fresh.get(offset)?.key.toString(), `offset ${offset}`).toBe(key);
    expect([...fresh.keys()]).toEqual([...seen.keys()].filter((o) => o < Math.max(...fresh.keys()) + 1));
  });
});
