// A small least-recently-used map: the client's caches are bounded (per subject, in total) so a
// long-running converter that sees ever new schemas does not grow without end.
export class BoundedCache<K, V> {
  readonly #max: number;
  readonly #map = new Map<K, V>();

  constructor(maxSize: number) {
    this.#max = Math.max(1, maxSize);
  }

  get size(): number {
    return this.#map.size;
  }

  get(key: K): V | undefined {
    const value = this.#map.get(key);
    if (value !== undefined) {
      this.#map.delete(key);
      this.#map.set(key, value);
    }
    return value;
  }

  set(key: K, value: V): void {
    this.#map.delete(key);
    this.#map.set(key, value);
    if (this.#map.size > this.#max) this.#map.delete(this.#map.keys().next().value as K);
  }

  delete(key: K): void {
    this.#map.delete(key);
  }

  clear(): void {
    this.#map.clear();
  }
}
