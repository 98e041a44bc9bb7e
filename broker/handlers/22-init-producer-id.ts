// InitProducerId (key 22), v0-5, for idempotent producers: a new producer id at epoch 0, or
// (KIP-360, v3+) the same id with its epoch bumped when the producer asks to recover.
// Transactional ids are refused with INVALID_REQUEST: transactions are not supported (SKIPPED.md).
import { ErrorCode } from "../protocol/generated/errors.ts";
import { defaultInitProducerIdResponse } from "../protocol/generated/init-producer-id-response.ts";
import type { ApiHandler } from "../server/router.ts";
import type { BrokerCore } from "../core.ts";

const MAX_EPOCH = 32767;

export function initProducerIdHandler(core: BrokerCore): ApiHandler<22> {
  return {
    apiKey: 22,
    minVersion: 0,
    maxVersion: 5,
    handle(request) {
      const response = defaultInitProducerIdResponse();
      if (request.transactionalId !== null) {
        response.errorCode = ErrorCode.INVALID_REQUEST;
        return response;
      }
      if (request.producerId >= 0n && request.producerEpoch >= 0 && request.producerEpoch < MAX_EPOCH - 1) {
        response.producerId = request.producerId;
        response.producerEpoch = request.producerEpoch + 1;
      } else {
        response.producerId = core.producerIds.allocate();
        response.producerEpoch = 0;
      }
      return response;
    },
  };
}
