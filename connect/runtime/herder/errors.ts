// The herder's own errors (Kafka's BadRequestException, ConnectRestException,
// RequestTargetException/NotLeaderException/NotAssignedException, RebalanceNeededException).
// The SDK's NotFoundException (404) and AlreadyExistsException (409) complete the set; the REST
// layer maps each to Kafka's status code and `{"error_code", "message"}` body (connect/rest/errors.ts).
import { ConnectException } from "../../api/index.ts";

/** An error that carries its HTTP status (Kafka's ConnectRestException). */
export class ConnectRestError extends ConnectException {
  override name = "ConnectRestError";
  readonly statusCode: number;

  constructor(statusCode: number, message: string, options?: ErrorOptions) {
    super(message, options);
    this.statusCode = statusCode;
  }
}

/** A request the herder refuses as malformed or invalid (400). */
export class BadRequestError extends ConnectRestError {
  override name = "BadRequestError";

  constructor(message: string, options?: ErrorOptions) {
    super(400, message, options);
  }
}

/**
 * The request must be served by another worker (Kafka's RequestTargetException). The REST layer
 * forwards it there, once, and relays the answer. forwardUrl is null when the target is not
 * known at the moment (a rebalance is under way): the REST layer answers 409.
 */
export class RequestTargetError extends ConnectException {
  override name = "RequestTargetError";
  readonly forwardUrl: string | null;

  constructor(message: string, forwardUrl: string | null) {
    super(message);
    this.forwardUrl = forwardUrl;
  }
}

/** This worker is a follower; writes go to the leader (Kafka's NotLeaderException). */
export class NotLeaderError extends RequestTargetError {
  override name = "NotLeaderError";

  constructor(leaderUrl: string | null, message = "This worker is not able to communicate with the leader of the cluster, which is required for dynamically-reconfiguring connectors.") {
    super(message, leaderUrl);
  }
}

/** The connector or task runs on another worker (Kafka's NotAssignedException). */
export class NotAssignedError extends RequestTargetError {
  override name = "NotAssignedError";

  constructor(message: string, ownerUrl: string | null) {
    super(message, ownerUrl);
  }
}

/** The worker's view of the config is stale; the client may retry (409). */
export class RebalanceNeededError extends ConnectException {
  override name = "RebalanceNeededError";

  constructor(message = "Request cannot be completed because a rebalance is expected.") {
    super(message);
  }
}
