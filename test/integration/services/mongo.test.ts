// Smoke test of the MongoDB-wire-protocol test service (NX-27017, see test/services/mongo.sh):
// a real round trip with the official driver — insert, read back, update, read again, drop.
import { randomUUID } from "node:crypto";
import { MongoClient, ObjectId } from "mongodb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { requireService } from "../../services/index.ts";

describe("MongoDB-wire test service", () => {
  let client: MongoClient;
  const collectionName = `smoke_${randomUUID().replaceAll("-", "")}`;

  beforeAll(async () => {
    const url = await requireService("mongo");
    client = new MongoClient(url, { serverSelectionTimeoutMS: 10_000 });
    await client.connect();
  });

  afterAll(async () => {
    await client?.close();
  });

  it("inserts, finds, updates and drops a document", async () => {
    const db = client.db("hub_smoke");
    const collection = db.collection<{
      _id?: ObjectId;
      name: string;
      count: number;
      tags: string[];
      nested: { ok: boolean };
      at: Date;
    }>(collectionName);
    const at = new Date("2024-05-06T07:08:09.123Z");

    const inserted = await collection.insertOne({
      name: "first",
      count: 1,
      tags: ["a", "b"],
      nested: { ok: true },
      at,
    });
    expect(inserted.acknowledged).toBe(true);
    expect(inserted.insertedId).toBeInstanceOf(ObjectId);

    const found = await collection.findOne({ _id: inserted.insertedId });
    expect(found).toEqual({
      _id: inserted.insertedId,
      name: "first",
      count: 1,
      tags: ["a", "b"],
      nested: { ok: true },
      at,
    });

    const updated = await collection.updateOne(
      { _id: inserted.insertedId },
      { $set: { name: "second" }, $inc: { count: 41 }, $push: { tags: "c" } },
    );
    expect(updated.matchedCount).toBe(1);
    expect(updated.modifiedCount).toBe(1);

    const reread = await collection.findOne({ name: "second" });
    expect(reread?._id?.equals(inserted.insertedId)).toBe(true);
    expect(reread?.count).toBe(42);
    expect(reread?.tags).toEqual(["a", "b", "c"]);
    expect(await collection.countDocuments({ name: "first" })).toBe(0);

    expect(await collection.drop()).toBe(true);
    const names = (await db.listCollections({}, { nameOnly: true }).toArray()).map((c) => c.name);
    expect(names).not.toContain(collectionName);
  });
});
