// The client's failures. Error codes a broker answers with surface as the protocol layer's
// KafkaError (code, Kafka's name, retriable), so callers test one type whatever the API;
// what goes wrong below the protocol (a socket, a deadline, our own shutdown, refused
// credentials) has its own classes, retriable only for a lost connection or a deadline.
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

/**
 * The broker refused this client's credentials (SASL), or the TLS handshake failed (a server
 * certificate not trusted or issued for another host, a client certificate the broker refused).
 * Not retriable, and deliberately not a ConnectionError: the same settings fail the same way
 * every time, so the client, the reader and the group member give up at once instead of
 * reconnecting forever (Kafka's Java clients treat AuthenticationException as fatal too).
 */
export class AuthenticationError extends Error {
  override name = "AuthenticationError";
  readonly retriable = false;
  /** host:port of the broker. */
  readonly address: string;
  /**
   * Kafka's name for the failure: SASL_AUTHENTICATION_FAILED, UNSUPPORTED_SASL_MECHANISM,
   * ILLEGAL_SASL_STATE (the error code the broker answered with, or the client's verdict on a
   * SCRAM exchange), or SSL_AUTHENTICATION_FAILED for TLS, which fails below the protocol.
   */
  readonly errorName: string;
  /** The broker's error code, when the broker answered one. */
  readonly code: number | undefined;

  constructor(address: string, errorName: string, code: number | undefined, message: string, options?: ErrorOptions) {
    super(`${errorName}: ${message}`, options);
    this.address = address;
    this.errorName = errorName;
    this.code = code;
  }
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
