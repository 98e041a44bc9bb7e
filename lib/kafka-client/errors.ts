// The client's failures. Error codes a broker answers with surface as the protocol layer's
// KafkaError (code, Kafka's name, retriable), so callers test one type whatever the API;
// what goes wrong below the protocol (a socket, a deadline, our own shutdown) has its own
// classes, all marked retriable except ClientClosedError and UnsupportedVersionError.
import { KafkaError, ErrorCode } from "../../broker/protocol/generated/errors.ts";

export { KafkaError, ErrorCode };

/** A connection could not be opened, or closed with requests still waiting for answers. */
export class ConnectionError extends Error {
  override name = "ConnectionError";
  readonly retriable = true;
  /** host:port of the broker. */
  readonly address: string;

  constructor(address: string, message: string, options?: ErrorOptions) {
    super(message, options);
    this.address = address;
  }
}

/** A request got no response in time; the connection it used is closed (as Kafka's Java client does). */
export class RequestTimeoutError extends Error {
  override name = "RequestTimeoutError";
  readonly retriable = true;
  readonly address: string;

  constructor(address: string, message: string) {
    super(message);
    this.address = address;
  }
}

/** The broker and this client have no version of an API in common. */
export class UnsupportedVersionError extends Error {
  override name = "UnsupportedVersionError";
  readonly retriable = false;
}

/** The client, reader or group member was closed while the call was under way. */
export class ClientClosedError extends Error {
  override name = "ClientClosedError";
  readonly retriable = false;
}

/** Whether retrying the same call later may succeed (a lost connection, a moved leader...). */
export function isRetriable(err: unknown): boolean {
  if (err instanceof KafkaError) return err.retriable;
  return err instanceof ConnectionError || err instanceof RequestTimeoutError;
}
