import { describe, expect, it } from "vitest";
import { LruCache } from "../../../../connect/converters/lru-cache.ts";

describe("LruCache", () => {
  it("evicts the least recently used entry, counting reads as uses", () => {
    const cache = new LruCache<string, number>(2);
    cache.set("a", 1);
    cache.set("b", 2);
    expect(cache.get("a")).toBe(1); // a is now newer than b
    cache.set("c", 3);
    expect(cache.get("b")).toBeUndefined();
    expect(cache.get("a")).toBe(1);
    expect(cache.get("c")).toBe(3);
    expect(cache.size).toBe(2);
  });

  it("keeps order right when the newest entry is read again and again", () => {
    const cache = new LruCache<string, number>(2);
    cache.set("a", 1);
    cache.set("b", 2);
    for (let i = 0; i < 3; i++) expect(cache.get("b")).toBe(2);
    cache.set("c", 3); // a is the oldest
    expect(cache.get("a")).toBeUndefined();
    expect(cache.get("b")).toBe(2);
    cache.set("b", 20);
    cache.get("c");
    cache.set("d", 4); // b is the oldest now
    expect(cache.get("b")).toBeUndefined();
    expect([cache.get("c"), cache.get("d")]).toEqual([3, 4]);
  });

  it("holds nothing with size 0", () => {
    const cache = new LruCache<string, number>(0);
    cache.set("a", 1);
    expect(cache.get("a")).toBeUndefined();
    expect(cache.size).toBe(0);
  });
});
