// Producer ids for InitProducerId, unique across restarts: ids are handed out from blocks of
// 1000 whose upper bound is written to the log dir before the first id of a block is used,
// so a crash skips the rest of a block instead of reusing ids.
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { writeFileAtomic } from "../log/fs-util.ts";

const BLOCK = 1000n;

export class ProducerIdAllocator {
  private readonly file: string;
  private next: bigint;
  private blockEnd: bigint;

  constructor(logDir: string) {
    this.file = join(logDir, "producer-id-block");
    const saved = existsSync(this.file) ? BigInt(readFileSync(this.file, "utf8").trim() || "0") : 0n;
    this.next = saved;
    this.blockEnd = saved;
  }

  allocate(): bigint {
    if (this.next >= this.blockEnd) {
      this.blockEnd = this.next + BLOCK;
      writeFileAtomic(this.file, `${this.blockEnd}\n`);
    }
    return this.next++;
  }
}
