// A small least-recently-used cache on a Map (whose iteration order is insertion order), as
// Kafka's converters bound their schema caches with schemas.cache.size.
export class LruCache<K, V> {
  readonly #max: number;
  readonly #map = new Map<K, V>();
  /** The most recently used key: hitting it again needs no reordering (the common case of a converter seeing one schema). */
  #newest: K | undefined;
  #hasNewest = false;

  constructor(maxSize: number) {
    this.#max = Math.max(0, maxSize);
  }

  get size(): number {
    return this.#map.size;
  }

  get(key: K): V | undefined {
    const value = this.#map.get(key);
    if (value !== undefined && !(this.#hasNewest && this.#newest === key)) {
      this.#map.delete(key);
      this.#map.set(key, value);
      this.#newest = key;
      this.#hasNewest = true;
    }
    return value;
  }

  set(key: K, value: V): void {
    if (this.#max === 0) return;
    this.#map.delete(key);
    this.#map.set(key, value);
    this.#newest = key;
    this.#hasNewest = true;
    if (this.#map.size > this.#max) this.#map.delete(this.#map.keys().next().value as K);
  }
}
