// The errors of the registry client, as Confluent's client raises them.

/**
 * The registry answered with an error (Confluent's RestClientException): the HTTP status, the
 * registry's error_code (40401 subject not found, 40403 schema not found, 409 incompatible ...)
 * and its message. The message ends with "; error code: <code>", as Confluent's does, since
 * that is the text users search for.
 */
export class RestClientException extends Error {
  override name = "RestClientException";
  readonly status: number;
  readonly errorCode: number;
  /** The registry's message alone, without the error code. */
  readonly detail: string;

  constructor(detail: string, status: number, errorCode: number) {
    super(`${detail}; error code: ${errorCode}`);
    this.status = status;
    this.errorCode = errorCode;
    this.detail = detail;
  }

  /**
   * Confluent's serdes' test for a configuration problem rather than a data problem: an error
   * code in the 400s (409 incompatible schema, 401/403 authentication), not the five-digit
   * "not found" codes. They surface as configuration errors (InvalidConfigurationException).
   */
  get isConfigurationError(): boolean {
    return Math.trunc(this.errorCode / 100) === 4;
  }
}

/** No registry URL could be reached (refused, reset, timed out): the call may succeed later. */
export class RegistryUnreachableError extends Error {
  override name = "RegistryUnreachableError";
}

// Confluent's error codes the serdes look at.
export const ERROR_SUBJECT_NOT_FOUND = 40401;
export const ERROR_VERSION_NOT_FOUND = 40402;
export const ERROR_SCHEMA_NOT_FOUND = 40403;
/** Answers whose body is not the registry's error JSON (Confluent's JSON_PARSE_ERROR_CODE). */
export const ERROR_UNPARSEABLE_RESPONSE = 50005;
