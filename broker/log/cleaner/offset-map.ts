// The cleaner's key → latest offset map, built over the dirty section of a log and then asked,
// record by record, whether a later record of the same key exists (Kafka's SkimpyOffsetMap).
// Keys are not stored: each is hashed to 128 bits and only the hash and the offset are kept,
// 24 bytes a key whatever the key's size, in flat typed arrays (no object per key, nothing for
// the garbage collector to walk). Open addressing with linear probing.
//
// The memory is bounded (log.cleaner.dedupe.buffer.size, as in Kafka): the map starts small
// and doubles while it fits the bound, and reports itself full at the load factor of the
// largest size allowed (log.cleaner.io.buffer.load.factor); the cleaner then cleans up to the
// offset it reached and leaves the rest of the dirty section for the next round.
//
// The hash is MurmurHash3 (x86, 128-bit), written here from the published algorithm, with a
// seed drawn per map. Kafka uses MD5; node's MD5 costs ~1.4 µs a key (a native call and a
// Buffer per key) against ~0.1 µs for this, and the cleaner hashes every record twice. A
// collision would make the cleaner drop the older record of one of the two keys; at 128 bits
// that takes ~2^64 keys, and the per-map seed keeps precomputed collisions from working.

const BYTES_PER_ENTRY = 24; // four int32 hash words + one float64 offset
const MIN_SLOTS = 1 << 12;

/** Four 32-bit words of a key's 128-bit hash, written into `out` (reused, never allocated). */
export function murmur3x86x128(buf: Uint8Array, start: number, end: number, seed: number, out: Int32Array): void {
  const c1 = 0x239b961b;
  const c2 = 0xab0e9789;
  const c3 = 0x38b34ae5;
  const c4 = 0xa1e38b93;
  let h1 = seed | 0;
  let h2 = seed | 0;
  let h3 = seed | 0;
  let h4 = seed | 0;
  const len = end - start;
  const blocksEnd = start + (len & ~15);
  let i = start;
  for (; i < blocksEnd; i += 16) {
    let k1 = buf[i]! | (buf[i + 1]! << 8) | (buf[i + 2]! << 16) | (buf[i + 3]! << 24);
    let k2 = buf[i + 4]! | (buf[i + 5]! << 8) | (buf[i + 6]! << 16) | (buf[i + 7]! << 24);
    let k3 = buf[i + 8]! | (buf[i + 9]! << 8) | (buf[i + 10]! << 16) | (buf[i + 11]! << 24);
    let k4 = buf[i + 12]! | (buf[i + 13]! << 8) | (buf[i + 14]! << 16) | (buf[i + 15]! << 24);

    k1 = Math.imul(k1, c1);
    k1 = (k1 << 15) | (k1 >>> 17);
    k1 = Math.imul(k1, c2);
    h1 ^= k1;
    h1 = (h1 << 19) | (h1 >>> 13);
    h1 = (h1 + h2) | 0;
    h1 = (Math.imul(h1, 5) + 0x561ccd1b) | 0;

    k2 = Math.imul(k2, c2);
    k2 = (k2 << 16) | (k2 >>> 16);
    k2 = Math.imul(k2, c3);
    h2 ^= k2;
    h2 = (h2 << 17) | (h2 >>> 15);
    h2 = (h2 + h3) | 0;
    h2 = (Math.imul(h2, 5) + 0x0bcaa747) | 0;

    k3 = Math.imul(k3, c3);
    k3 = (k3 << 17) | (k3 >>> 15);
    k3 = Math.imul(k3, c4);
    h3 ^= k3;
    h3 = (h3 << 15) | (h3 >>> 17);
    h3 = (h3 + h4) | 0;
    h3 = (Math.imul(h3, 5) + 0x96cd1c35) | 0;

    k4 = Math.imul(k4, c4);
    k4 = (k4 << 18) | (k4 >>> 14);
    k4 = Math.imul(k4, c1);
    h4 ^= k4;
    h4 = (h4 << 13) | (h4 >>> 19);
    h4 = (h4 + h1) | 0;
    h4 = (Math.imul(h4, 5) + 0x32ac3b17) | 0;
  }

  let k1 = 0;
  let k2 = 0;
  let k3 = 0;
  let k4 = 0;
  const tail = len & 15;
  if (tail >= 13) {
    if (tail >= 15) k4 ^= buf[i + 14]! << 16;
    if (tail >= 14) k4 ^= buf[i + 13]! << 8;
    k4 ^= buf[i + 12]!;
    k4 = Math.imul(k4, c4);
    k4 = (k4 << 18) | (k4 >>> 14);
    k4 = Math.imul(k4, c1);
    h4 ^= k4;
  }
  if (tail >= 9) {
    if (tail >= 12) k3 ^= buf[i + 11]! << 24;
    if (tail >= 11) k3 ^= buf[i + 10]! << 16;
    if (tail >= 10) k3 ^= buf[i + 9]! << 8;
    k3 ^= buf[i + 8]!;
    k3 = Math.imul(k3, c3);
    k3 = (k3 << 17) | (k3 >>> 15);
    k3 = Math.imul(k3, c4);
    h3 ^= k3;
  }
  if (tail >= 5) {
    if (tail >= 8) k2 ^= buf[i + 7]! << 24;
    if (tail >= 7) k2 ^= buf[i + 6]! << 16;
    if (tail >= 6) k2 ^= buf[i + 5]! << 8;
    k2 ^= buf[i + 4]!;
    k2 = Math.imul(k2, c2);
    k2 = (k2 << 16) | (k2 >>> 16);
    k2 = Math.imul(k2, c3);
    h2 ^= k2;
  }
  if (tail >= 1) {
    if (tail >= 4) k1 ^= buf[i + 3]! << 24;
    if (tail >= 3) k1 ^= buf[i + 2]! << 16;
    if (tail >= 2) k1 ^= buf[i + 1]! << 8;
    k1 ^= buf[i]!;
    k1 = Math.imul(k1, c1);
    k1 = (k1 << 15) | (k1 >>> 17);
    k1 = Math.imul(k1, c2);
    h1 ^= k1;
  }

  h1 ^= len;
  h2 ^= len;
  h3 ^= len;
  h4 ^= len;
  h1 = (h1 + h2 + h3 + h4) | 0;
  h2 = (h2 + h1) | 0;
  h3 = (h3 + h1) | 0;
  h4 = (h4 + h1) | 0;
  h1 = fmix32(h1);
  h2 = fmix32(h2);
  h3 = fmix32(h3);
  h4 = fmix32(h4);
  h1 = (h1 + h2 + h3 + h4) | 0;
  h2 = (h2 + h1) | 0;
  h3 = (h3 + h1) | 0;
  h4 = (h4 + h1) | 0;
  out[0] = h1;
  out[1] = h2;
  out[2] = h3;
  out[3] = h4;
}

function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h;
}

export interface OffsetMapOptions {
  /** Bytes the map may use at most (log.cleaner.dedupe.buffer.size / log.cleaner.threads). */
  maxBytes: number;
  /** Fraction of the largest table that may fill before the map is full (Kafka's 0.9). */
  loadFactor: number;
  /** Hash seed; random by default. */
  seed?: number;
}

export class OffsetMap {
  private readonly maxSlots: number;
  private readonly loadFactor: number;
  private readonly seed: number;
  private readonly scratch = new Int32Array(4);
  private readonly growScratch = new Int32Array(4);
  private slots: number;
  private mask: number;
  private hashes: Int32Array;
  /** -1 marks an empty slot (offsets are never negative). */
  private offsets: Float64Array;
  private _size = 0;
  /** The largest offset put so far (where a full map stopped). */
  latestOffset = -1;

  constructor(options: OffsetMapOptions) {
    let max = MIN_SLOTS;
    while (max * 2 * BYTES_PER_ENTRY <= options.maxBytes) max *= 2;
    this.maxSlots = max;
    this.loadFactor = Math.min(Math.max(options.loadFactor, 0.1), 0.95);
    this.seed = options.seed ?? (Math.random() * 0x100000000) | 0;
    this.slots = Math.min(MIN_SLOTS, max);
    this.mask = this.slots - 1;
    this.hashes = new Int32Array(this.slots * 4);
    this.offsets = new Float64Array(this.slots).fill(-1);
  }

  get size(): number {
    return this._size;
  }

  /** Bytes the tables take now. */
  get bytes(): number {
    return this.slots * BYTES_PER_ENTRY;
  }

  /** Whether the map took as many keys as its memory bound allows. */
  get full(): boolean {
    return this.slots === this.maxSlots && this._size >= Math.floor(this.maxSlots * this.loadFactor);
  }

  /** The most keys the map can hold. */
  get capacity(): number {
    return Math.floor(this.maxSlots * this.loadFactor);
  }

  private hash(key: Uint8Array, start: number, end: number): Int32Array {
    murmur3x86x128(key, start, end, this.seed, this.scratch);
    return this.scratch;
  }

  /** Slot of the hash in `h`: where it is, or the empty slot where it would go. */
  private find(h: Int32Array): number {
    const hashes = this.hashes;
    const offsets = this.offsets;
    let slot = (h[0]! ^ h[2]!) & this.mask;
    for (;;) {
      if (offsets[slot]! < 0) return slot;
      const at = slot * 4;
      if (hashes[at] === h[0] && hashes[at + 1] === h[1] && hashes[at + 2] === h[2] && hashes[at + 3] === h[3]) return slot;
      slot = (slot + 1) & this.mask;
    }
  }

  /**
   * Records that the key in key[start, end) was seen at `offset` (offsets come in increasing
   * order, so the last put wins). The caller checks `full` first: a full map takes no new key.
   */
  put(key: Uint8Array, start: number, end: number, offset: number): void {
    const h = this.hash(key, start, end);
    let slot = this.find(h);
    if (this.offsets[slot]! < 0) {
      if (this._size + 1 > this.slots * this.loadFactor && this.slots < this.maxSlots) {
        this.grow();
        slot = this.find(h);
      }
      const at = slot * 4;
      this.hashes[at] = h[0]!;
      this.hashes[at + 1] = h[1]!;
      this.hashes[at + 2] = h[2]!;
      this.hashes[at + 3] = h[3]!;
      this._size++;
    }
    this.offsets[slot] = offset;
    if (offset > this.latestOffset) this.latestOffset = offset;
  }

  /** The latest offset of the key, or -1 if the map has not seen it. */
  get(key: Uint8Array, start: number, end: number): number {
    const slot = this.find(this.hash(key, start, end));
    return this.offsets[slot]!;
  }

  private grow(): void {
    const oldHashes = this.hashes;
    const oldOffsets = this.offsets;
    const oldSlots = this.slots;
    this.slots *= 2;
    this.mask = this.slots - 1;
    this.hashes = new Int32Array(this.slots * 4);
    this.offsets = new Float64Array(this.slots).fill(-1);
    const h = this.growScratch;
    for (let s = 0; s < oldSlots; s++) {
      const offset = oldOffsets[s]!;
      if (offset < 0) continue;
      const at = s * 4;
      h[0] = oldHashes[at]!;
      h[1] = oldHashes[at + 1]!;
      h[2] = oldHashes[at + 2]!;
      h[3] = oldHashes[at + 3]!;
      const slot = this.find(h);
      this.hashes.set(oldHashes.subarray(at, at + 4), slot * 4);
      this.offsets[slot] = offset;
    }
  }
}
