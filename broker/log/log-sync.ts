// Asynchronous fsync with group commit, for a partition log's durable paths: acks=all produce
// in durable mode (hub.durable.acks.all), flush.messages / flush.ms, and the flush of a
// segment that has just rolled.
//
// The fsync runs on libuv's thread pool (fs.promises), so the event loop keeps serving
// fetches and other partitions while the disk works. One sync is in flight per log at a time;
// callers that ask while it runs wait for the next one, which covers everything appended up to
// the moment it starts: with N producers appending concurrently, they share one fsync instead
// of queueing N (group commit). A sync opens each file anew rather than borrowing the
// segment's descriptor: fsync applies to the file, not the descriptor, and a descriptor of our
// own cannot be closed (and its number reused) under the thread pool by a roll, a retention
// deletion or a close happening meanwhile. A file that is gone by then (deleted by
// retention or with its topic) has nothing left to make durable.
import { open } from "node:fs/promises";

export interface SyncWork {
  /** Files whose data must reach the disk (fdatasync). */
  files: string[];
  /** A directory whose entries changed (a segment created or deleted): fsync it too. */
  dir: string | undefined;
  /** The log end offset when the work was taken: what the sync makes durable. */
  endOffset: bigint;
}

export interface GroupSyncTarget {
  /** What is unsynced now; called when a sync starts. */
  takeWork(): SyncWork;
  /** The sync of `work` completed: everything below work.endOffset is on disk. */
  synced(work: SyncWork): void;
  /** The sync of `work` failed (the target may want to retry the directory next time). */
  failed(work: SyncWork, err: Error): void;
}

export type SyncFile = (path: string, kind: "file" | "dir") => Promise<void>;

/** fdatasync a file (fsync a directory), by path, on the thread pool. */
export const fsyncPath: SyncFile = async (path, kind) => {
  let handle;
  try {
    handle = await open(path, "r");
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return;
    throw err;
  }
  try {
    if (kind === "file") await handle.datasync();
    else await handle.sync();
  } finally {
    await handle.close();
  }
};

let syncImplementation: SyncFile = fsyncPath;

/** Tests replace the fsync (to slow it down, count it or make it fail); undefined restores it. */
export function setSyncImplementation(fn: SyncFile | undefined): void {
  syncImplementation = fn ?? fsyncPath;
}

interface Waiter {
  target: bigint;
  resolve: () => void;
  reject: (err: Error) => void;
}

export class GroupSync {
  private readonly target: GroupSyncTarget;
  private readonly waiters: Waiter[] = [];
  private inFlight = false;
  /** fsync rounds started, for metrics and tests. */
  rounds = 0;

  constructor(target: GroupSyncTarget) {
    this.target = target;
  }

  get busy(): boolean {
    return this.inFlight;
  }

  /**
   * Resolves once every offset below `offset` is on disk (rejects if the fsync failed). The
   * caller checks first whether that is already so.
   */
  request(offset: bigint): Promise<void> {
    const promise = new Promise<void>((resolve, reject) => this.waiters.push({ target: offset, resolve, reject }));
    if (!this.inFlight) this.start();
    return promise;
  }

  private start(): void {
    this.inFlight = true;
    this.rounds++;
    const work = this.target.takeWork();
    const sync = syncImplementation;
    const jobs = work.files.map((f) => sync(f, "file"));
    if (work.dir !== undefined) jobs.push(sync(work.dir, "dir"));
    Promise.all(jobs).then(
      () => {
        this.target.synced(work);
        this.finish(work.endOffset, undefined);
      },
      (err: unknown) => {
        const error = err instanceof Error ? err : new Error(String(err));
        this.target.failed(work, error);
        this.finish(work.endOffset, error);
      },
    );
  }

  private finish(endOffset: bigint, err: Error | undefined): void {
    this.inFlight = false;
    let kept = 0;
    for (const w of this.waiters) {
      if (w.target <= endOffset) {
        if (err) w.reject(err);
        else w.resolve();
      } else this.waiters[kept++] = w;
    }
    this.waiters.length = kept;
    if (kept > 0) this.start();
  }
}
