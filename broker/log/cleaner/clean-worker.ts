// The cleaner's worker thread: runs cleanPartition (clean.ts) for each job the broker posts,
// one at a time, so that reading, decompressing, hashing and rewriting segments never holds
// up the broker's event loop. Answers { id, result } or { id, error }.
import { parentPort } from "node:worker_threads";
import { cleanPartition, type CleanJob } from "./clean.ts";

export interface CleanRequest {
  id: number;
  job: CleanJob;
}

if (!parentPort) throw new Error("clean-worker.ts runs as a worker thread");
const port = parentPort;
port.on("message", (message: CleanRequest) => {
  try {
    port.postMessage({ id: message.id, result: cleanPartition(message.job) });
  } catch (err) {
    const e = err as Error;
    port.postMessage({ id: message.id, error: { name: e.name, message: e.message, stack: e.stack } });
  }
});
