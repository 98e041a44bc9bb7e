// Small synchronous file helpers shared by the log modules: whole writes and reads at a
// position (the kernel may do less than asked), crash-safe small-file replacement, and the
// directory fsync that makes a create, rename or unlink durable.
import { closeSync, fsyncSync, openSync, readSync, renameSync, writeSync } from "node:fs";
import { dirname } from "node:path";

/** Writes all of `buf` at `position`. */
export function writeFully(fd: number, buf: Buffer, position: number): void {
  let done = 0;
  while (done < buf.length) {
    done += writeSync(fd, buf, done, buf.length - done, position + done);
  }
}

/** Reads up to `length` bytes at `position` into `buf` from 0; fewer only at end of file. */
export function readFully(fd: number, buf: Buffer, length: number, position: number): number {
  let done = 0;
  while (done < length) {
    const n = readSync(fd, buf, done, length - done, position + done);
    if (n === 0) break;
    done += n;
  }
  return done;
}

export function fsyncDir(dir: string): void {
  const fd = openSync(dir, "r");
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/**
 * Replaces a small file atomically and durably: write a temp file, fsync it, rename it over
 * the target, fsync the directory. After a crash the file holds either the old or the new
 * content, never a mix or nothing.
 */
export function writeFileAtomic(path: string, data: string | Buffer): void {
  const tmp = `${path}.tmp`;
  const fd = openSync(tmp, "w");
  try {
    writeFully(fd, typeof data === "string" ? Buffer.from(data, "utf8") : data, 0);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, path);
  fsyncDir(dirname(path));
}
