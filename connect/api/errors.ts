// The exceptions of Kafka Connect's API (org.apache.kafka.connect.errors). The runtime tells
// them apart the way Kafka does: a RetriableException from a task is retried (the task is not
// failed), a DataException marks one bad record (errors.tolerance applies), anything else fails
// the task. `cause` is the standard ES2022 error cause.

export class ConnectException extends Error {
  override name = "ConnectException";
}

/** A value that does not fit its schema, or bytes a converter cannot read. */
export class DataException extends ConnectException {
  override name = "DataException";
}

/** A bad schema definition (SchemaBuilder misuse). */
export class SchemaBuilderException extends DataException {
  override name = "SchemaBuilderException";
}

/** A failure that may go away: the runtime retries the operation instead of failing the task. */
export class RetriableException extends ConnectException {
  override name = "RetriableException";
}

/** A connector, task or plugin that does not exist (REST 404). */
export class NotFoundException extends ConnectException {
  override name = "NotFoundException";
}

/** A connector that already exists (REST 409). */
export class AlreadyExistsException extends ConnectException {
  override name = "AlreadyExistsException";
}

/** An operation that the worker's current state does not allow. */
export class IllegalWorkerStateException extends ConnectException {
  override name = "IllegalWorkerStateException";
}
