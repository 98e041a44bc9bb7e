// Fetch long polling: a fetch that has less than min.bytes to return waits until an append
// to one of its partitions (or its max wait) wakes it, as Kafka's delayed fetch purgatory does.
export class AppendWaiters {
  private readonly byPartition = new Map<string, Set<() => void>>();
  private waits = 0;

  /** Fetches waiting for an append (Kafka's fetch purgatory size). */
  get size(): number {
    return this.waits;
  }

  /** Calls `wake` once, after the next append to any of the partitions. Returns a canceller. */
  wait(partitions: Iterable<string>, wake: () => void): () => void {
    const keys = [...partitions];
    let fired = false;
    let cancelled = false;
    const once = (): void => {
      if (fired) return;
      fired = true;
      cancel();
      wake();
    };
    const cancel = (): void => {
      if (cancelled) return;
      cancelled = true;
      this.waits--;
      for (const key of keys) {
        const set = this.byPartition.get(key);
        set?.delete(once);
        if (set?.size === 0) this.byPartition.delete(key);
      }
    };
    this.waits++;
    for (const key of keys) {
      let set = this.byPartition.get(key);
      if (!set) this.byPartition.set(key, (set = new Set()));
      set.add(once);
    }
    return cancel;
  }

  notify(key: string): void {
    const set = this.byPartition.get(key);
    if (!set) return;
    for (const wake of [...set]) wake();
  }

  static key(topic: string, partition: number): string {
    return `${topic}\u0000${partition}`;
  }
}
