// DescribeLogDirs (key 35), v1-4: the partitions in the log dir with their sizes.
import { statfsSync } from "node:fs";
import { ErrorCode } from "../protocol/generated/errors.ts";
import { defaultDescribeLogDirsResponse } from "../protocol/generated/describe-log-dirs-response.ts";
import type { ApiHandler } from "../server/router.ts";
import type { BrokerCore } from "../core.ts";

export function describeLogDirsHandler(core: BrokerCore): ApiHandler<35> {
  return {
    apiKey: 35,
    minVersion: 1,
    maxVersion: 4,
    handle(request) {
      const wanted = request.topics ?? core.logs.topicNames().map((topic) => ({ topic, partitions: null as number[] | null }));
      const topics = wanted.flatMap((t) => {
        const meta = core.logs.topic(t.topic);
        if (!meta) return [];
        const indexes = t.partitions ?? [...Array(meta.partitions).keys()];
        const partitions = indexes.flatMap((partitionIndex) => {
          const log = core.logs.log(t.topic, partitionIndex);
          return log ? [{ partitionIndex, partitionSize: BigInt(log.sizeInBytes()), offsetLag: 0n, isFutureKey: false }] : [];
        });
        return [{ name: t.topic, partitions }];
      });
      const fs = statfsSync(core.logs.logDir);
      const response = defaultDescribeLogDirsResponse();
      response.results = [{
        errorCode: ErrorCode.NONE,
        logDir: core.logs.logDir,
        topics,
        totalBytes: BigInt(fs.blocks) * BigInt(fs.bsize),
        usableBytes: BigInt(fs.bavail) * BigInt(fs.bsize),
      }];
      return response;
    },
  };
}
