// Offset tracking of source records (Kafka's SubmittedRecords): a partition's committable offset
// is that of its last record acknowledged with every earlier one; partitions are independent.
import { describe, expect, it } from "vitest";
import { SubmittedRecords } from "../../../../../connect/runtime/tasks/submitted-records.ts";
import { OffsetStorageWriter, partitionIdentity } from "../../../../../connect/runtime/offset-storage.ts";
import { MemoryOffsetBackingStore } from "../../../../../connect/storage/memory-offset-store.ts";
import { offsetMapKey, serializeOffsetKey } from "../../../../../connect/storage/offset-codec.ts";

const A = { file: "a" };
const B = { file: "b" };

describe("SubmittedRecords", () => {
  it("commits only acknowledged prefixes, per partition", () => {
    const s = new SubmittedRecords();
    const a1 = s.submit(A, { pos: 1 });
    const a2 = s.submit(A, { pos: 2 });
    const b1 = s.submit(B, { pos: 10 });
    const a3 = s.submit({ file: "a" }, { pos: 3 });
    expect(s.pending).toBe(4);
    a2.ack();
    b1.ack();
    // a1 is still out: nothing of A may be committed; B may.
    expect(s.committableOffsets()).toEqual({ offsets: [{ partition: B, offset: { pos: 10 } }], committableMessages: 1, uncommittableMessages: 3 });
    a1.ack();
    expect(s.committableOffsets().offsets).toEqual([{ partition: A, offset: { pos: 2 } }]);
    a3.ack();
    expect(s.committableOffsets()).toEqual({ offsets: [{ partition: A, offset: { pos: 3 } }], committableMessages: 1, uncommittableMessages: 0 });
    expect(s.committableOffsets().offsets).toEqual([]);
    expect(s.pending).toBe(0);
  });

  it("does not move a partition's offset for records without an offset", () => {
    const s = new SubmittedRecords();
    s.submit(A, { pos: 1 }).ack();
    s.submit(A, null).ack();
    expect(s.committableOffsets().offsets).toEqual([{ partition: A, offset: { pos: 1 } }]);
  });

  it("tells when everything is acknowledged", async () => {
    const s = new SubmittedRecords();
    const r = s.submit(A, { pos: 1 });
    expect(await s.awaitAll(10)).toBe(false);
    setTimeout(() => r.ack(), 5);
    expect(await s.awaitAll(1000)).toBe(true);
  });

  it("identifies partitions by content", () => {
    expect(partitionIdentity({ a: 1, b: "x" })).toBe(partitionIdentity({ b: "x", a: 1 }));
    expect(partitionIdentity({ a: 1n })).not.toBe(partitionIdentity({ a: 1 }));
  });
});

describe("OffsetStorageWriter", () => {
  it("flushes the latest offsets, and keeps them for the next flush when the store fails", async () => {
    const store = new MemoryOffsetBackingStore();
    let fail = true;
    const failing = Object.assign(Object.create(store) as MemoryOffsetBackingStore, {
      set: async (entries: ReadonlyArray<{ key: Buffer; value: Buffer | null }>) => {
        if (fail) throw new Error("store down");
        await store.set(entries);
      },
    });
    const writer = new OffsetStorageWriter(failing, "conn");
    expect(writer.beginFlush()).toBe(false);
    writer.offset(A, { pos: 1 });
    expect(writer.beginFlush()).toBe(true);
    writer.offset(A, { pos: 2 });
    await expect(writer.doFlush()).rejects.toThrow("store down");
    // The failed flush's offsets are back, under the newer one.
    fail = false;
    expect(writer.beginFlush()).toBe(true);
    await writer.doFlush();
    const key = serializeOffsetKey("conn", A);
    expect((await store.get([key])).get(offsetMapKey(key))?.toString()).toBe('{"pos":2}');
  });
});
