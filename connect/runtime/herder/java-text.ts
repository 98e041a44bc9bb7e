// Java's text forms where Kafka Connect puts them into messages users see: a java.util.HashMap's
// toString ("{name=pa, topic=t}", in HashMap iteration order) and a List's ("[a, b]"). Kafka's
// "Connector config {...} contains no connector type" prints a HashMap copy of the request's
// config, so the keys come out in hash order, not in the order the user wrote them.

/** Java's String.hashCode (UTF-16 code units, 32-bit wrap-around). */
export function javaStringHash(s: string): number {
  let h = 0;
  for (let i = 0; i < s.length; i++) h = (Math.imul(h, 31) + s.charCodeAt(i)) | 0;
  return h;
}

/** The keys in the order a `new HashMap<>(source)` iterates them (source iterated in the given order). */
export function javaHashMapOrder(keys: readonly string[]): string[] {
  if (keys.length === 0) return [];
  // HashMap(Map) sizes its table to the smallest power of two >= size / 0.75 + 1, so no resize
  // happens while copying; iteration walks buckets in index order, each in insertion order.
  const wanted = Math.floor(keys.length / 0.75 + 1);
  let capacity = 1;
  while (capacity < wanted) capacity *= 2;
  const bucket = (key: string): number => {
    const h = javaStringHash(key);
    return (h ^ (h >>> 16)) & (capacity - 1);
  };
  return keys
    .map((key, index) => ({ key, index, bucket: bucket(key) }))
    .sort((a, b) => a.bucket - b.bucket || a.index - b.index)
    .map((e) => e.key);
}

/** `{k1=v1, k2=v2}` as a HashMap copy of these entries prints. */
export function javaHashMapText(entries: ReadonlyArray<readonly [string, string | null]>): string {
  const values = new Map(entries);
  return `{${javaHashMapOrder([...values.keys()])
    .map((k) => `${k}=${values.get(k) ?? "null"}`)
    .join(", ")}}`;
}

/** `[a, b]` as a Java List prints. */
export function javaListText(items: readonly unknown[]): string {
  return `[${items.map((i) => String(i)).join(", ")}]`;
}
