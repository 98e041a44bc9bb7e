// Standalone's offsets file: written whole and atomically on each set(), read back on start,
// tombstones remove partitions, a foreign file is refused with a clear message.
import { mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FileOffsetBackingStore } from "../../../../connect/storage/file-offset-store.ts";
import { MemoryOffsetBackingStore } from "../../../../connect/storage/memory-offset-store.ts";
import { offsetMapKey, serializeOffsetKey, serializeOffsetValue } from "../../../../connect/storage/offset-codec.ts";

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "hub-offsets-file-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const key = (connector: string, file: string): Buffer => serializeOffsetKey(connector, { filename: file });
const value = (position: number): Buffer => serializeOffsetValue("x", { position }) as Buffer;

describe("FileOffsetBackingStore", () => {
  it("keeps offsets across restarts", async () => {
    const file = join(dir, "sub", "connect.offsets");
    const store = new FileOffsetBackingStore(file);
    await store.start();
    await store.set([
      { key: key("a", "/1"), value: value(10) },
      { key: key("a", "/2"), value: value(20) },
      { key: key("b", "/1"), value: value(30) },
    ]);
    await store.set([{ key: key("a", "/1"), value: value(11) }]);
    await store.stop();
    expect(JSON.parse(await readFile(file, "utf8"))).toEqual({
      version: 1,
      offsets: { '["a",{"filename":"/1"}]': '{"position":11}', '["a",{"filename":"/2"}]': '{"position":20}', '["b",{"filename":"/1"}]': '{"position":30}' },
    });
    expect((await readdir(join(dir, "sub"))).filter((f) => f.includes(".tmp"))).toEqual([]);

    const again = new FileOffsetBackingStore(file);
    await again.start();
    const got = await again.get([key("a", "/1"), key("a", "/3")]);
    expect(got.get(offsetMapKey(key("a", "/1")))?.toString()).toBe('{"position":11}');
    expect(got.has(offsetMapKey(key("a", "/3")))).toBe(false);
    expect((await again.connectorPartitions("a")).map((k) => k.toString()).sort()).toEqual(['["a",{"filename":"/1"}]', '["a",{"filename":"/2"}]']);
    // A null value removes the partition's offset (a reset).
    await again.set([{ key: key("a", "/2"), value: null }]);
    await again.stop();
    const third = new FileOffsetBackingStore(file);
    await third.start();
    expect((await third.connectorPartitions("a")).map((k) => k.toString())).toEqual(['["a",{"filename":"/1"}]']);
    await third.stop();
  });

  it("starts empty without a file, and refuses a file that is not its own", async () => {
    const store = new FileOffsetBackingStore(join(dir, "none.offsets"));
    await store.start();
    expect(await store.connectorPartitions("a")).toEqual([]);
    const foreign = join(dir, "java.offsets");
    await writeFile(foreign, Buffer.from([0xac, 0xed, 0x00, 0x05]));
    await expect(new FileOffsetBackingStore(foreign).start()).rejects.toThrow(/is not a hub offsets file/);
  });

  it("writes concurrent sets one after the other, ending with the latest data", async () => {
    const file = join(dir, "concurrent.offsets");
    const store = new FileOffsetBackingStore(file);
    await store.start();
    await Promise.all(Array.from({ length: 20 }, (_, i) => store.set([{ key: key("c", "/f"), value: value(i) }])));
    expect(JSON.parse(await readFile(file, "utf8")).offsets['["c",{"filename":"/f"}]']).toBe('{"position":19}');
  });
});

describe("MemoryOffsetBackingStore", () => {
  it("answers get() keyed by the key's text", async () => {
    const store = new MemoryOffsetBackingStore();
    await store.set([{ key: key("m", "/x"), value: value(1) }]);
    expect([...(await store.get([key("m", "/x")])).keys()]).toEqual(['["m",{"filename":"/x"}]']);
  });
});
