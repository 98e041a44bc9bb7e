// Task contexts for driving connector tasks directly in unit tests: an offset storage reader
// over a map of committed offsets (keyed by the partition's JSON), as the runtime hands one to
// a task.
import type { ConnectorProps, OffsetStorageReader, SourceMap, SourceTask, SourceTaskContext } from "../../../connect/api/index.ts";

export function offsetReader(committed: ReadonlyArray<readonly [SourceMap, SourceMap]> = []): OffsetStorageReader {
  const byKey = new Map(committed.map(([partition, offset]) => [JSON.stringify(partition), offset]));
  return {
    offset: (partition) => Promise.resolve(byKey.get(JSON.stringify(partition)) ?? null),
    offsets: (partitions) => Promise.resolve(new Map(partitions.map((p) => [p, byKey.get(JSON.stringify(p)) ?? null]))),
  };
}

export function sourceTaskContext(props: ConnectorProps, committed: ReadonlyArray<readonly [SourceMap, SourceMap]> = []): SourceTaskContext {
  const reader = offsetReader(committed);
  return { configs: () => props, offsetStorageReader: () => reader };
}

/** Initializes and starts a source task as the runtime does. */
export async function startSourceTask<T extends SourceTask>(task: T, props: ConnectorProps, committed: ReadonlyArray<readonly [SourceMap, SourceMap]> = []): Promise<T> {
  task.initialize(sourceTaskContext(props, committed));
  await task.start(props);
  return task;
}

/** Milliseconds a promise takes to settle. */
export async function timed<T>(promise: Promise<T>): Promise<{ value: T; ms: number }> {
  const started = performance.now();
  const value = await promise;
  return { value, ms: performance.now() - started };
}
