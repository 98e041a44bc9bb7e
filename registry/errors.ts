// The registry's errors as Confluent's REST API answers them: an HTTP status, an `error_code` and
// Confluent's message, word for word (its rest/exceptions/Errors.java and the exception classes
// around it). The service throws these; the REST layer writes them as {"error_code", "message"}.

export class RegistryError extends Error {
  override name = "RegistryError";
  readonly status: number;
  readonly errorCode: number;

  constructor(status: number, errorCode: number, message: string, options?: ErrorOptions) {
    super(message, options);
    this.status = status;
    this.errorCode = errorCode;
  }
}

/** A write reached an instance that is not the leader: the REST layer forwards it. */
export class NotLeaderError extends Error {
  override name = "NotLeaderError";
  /** The leader's base URL, or null while there is none. */
  readonly leaderUrl: string | null;

  constructor(leaderUrl: string | null) {
    super(leaderUrl === null ? "no leader is known" : `the leader is ${leaderUrl}`);
    this.leaderUrl = leaderUrl;
  }
}

const notFound = (code: number, message: string): RegistryError => new RegistryError(404, code, message);
const unprocessable = (code: number, message: string): RegistryError => new RegistryError(422, code, message);

export const errors = {
  subjectNotFound: (subject: string | null): RegistryError => notFound(40401, `Subject '${subject}' not found.`),
  versionNotFound: (version: number): RegistryError => notFound(40402, `Version ${version} not found.`),
  schemaNotFound: (id?: number): RegistryError => notFound(40403, id === undefined ? "Schema not found" : `Schema ${id} not found`),
  // Confluent's messages lack the space after the first sentence; kept as they are.
  subjectSoftDeleted: (subject: string): RegistryError => notFound(40404, `Subject '${subject}' was soft deleted.Set permanent=true to delete permanently`),
  subjectNotSoftDeleted: (subject: string): RegistryError =>
    notFound(40405, `Subject '${subject}' was not deleted first before being permanently deleted`),
  versionSoftDeleted: (subject: string, version: string | number): RegistryError =>
    notFound(40406, `Subject '${subject}' Version ${version} was soft deleted.Set permanent=true to delete permanently`),
  versionNotSoftDeleted: (subject: string, version: string | number): RegistryError =>
    notFound(40407, `Subject '${subject}' Version ${version} was not deleted first before being permanently deleted`),
  subjectCompatibilityNotConfigured: (subject: string): RegistryError =>
    notFound(40408, `Subject '${subject}' does not have subject-level compatibility configured`),
  subjectModeNotConfigured: (subject: string): RegistryError => notFound(40409, `Subject '${subject}' does not have subject-level mode configured`),
  // Confluent 7.x answers 409 as the error code too (8.x moved to 40901).
  incompatible: (subject: string, messages: readonly string[]): RegistryError =>
    new RegistryError(409, 409, `Schema being registered is incompatible with an earlier schema for subject "${subject}", details: [${messages.join(", ")}]`),
  invalidSchema: (message: string): RegistryError => unprocessable(42201, message),
  invalidVersion: (version: string): RegistryError =>
    unprocessable(42202, `The specified version '${version}' is not a valid version id. Allowed values are between [1, 2^31-1] and the string "latest"`),
  invalidCompatibility: (): RegistryError =>
    unprocessable(42203, "Invalid compatibility level. Valid values are none, backward, forward, full, backward_transitive, forward_transitive, and full_transitive"),
  invalidMode: (): RegistryError => unprocessable(42204, "Invalid mode. Valid values are READWRITE, READONLY, and IMPORT."),
  operationNotPermitted: (message: string): RegistryError => unprocessable(42205, message),
  referenceExists: (subject: string, version: number): RegistryError =>
    unprocessable(42206, `One or more references exist to the schema {magic=1,keytype=SCHEMA,subject=${subject},version=${version}}.`),
  invalidSubject: (subject: string): RegistryError => unprocessable(42208, `The specified subject '${subject}' is not a valid.`),
  // Confluent's RestSchemaTooLargeException is a server error carrying a 422xx code.
  schemaTooLarge: (): RegistryError => new RegistryError(500, 42209, "Register operation failed because schema is too large"),
  invalidRuleSet: (message: string): RegistryError => unprocessable(42210, message),
  store: (message: string, cause?: unknown): RegistryError => new RegistryError(500, 50001, message, { cause }),
  timeout: (message: string, cause?: unknown): RegistryError => new RegistryError(500, 50002, message, { cause }),
  forwarding: (message: string, cause?: unknown): RegistryError => new RegistryError(500, 50003, message, { cause }),
  unknownLeader: (message: string): RegistryError => new RegistryError(500, 50004, message),
} as const;
