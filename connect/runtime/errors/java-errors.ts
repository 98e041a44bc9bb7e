// How errors read where Kafka shows Java exceptions: the class names of the SDK's exceptions
// (the __connect.errors.exception.class.name DLQ header) and a stack trace with the chain of
// causes, in the shape of Java's printStackTrace ("Caused by: ...") for the
// __connect.errors.exception.stacktrace header. JavaScript's error.stack leaves causes out, and
// the cause is what tells users which record or SMT failed.

const JAVA_CLASSES: Record<string, string> = {
  ConnectException: "org.apache.kafka.connect.errors.ConnectException",
  DataException: "org.apache.kafka.connect.errors.DataException",
  RetriableException: "org.apache.kafka.connect.errors.RetriableException",
  SchemaBuilderException: "org.apache.kafka.connect.errors.SchemaBuilderException",
  NotFoundException: "org.apache.kafka.connect.errors.NotFoundException",
  AlreadyExistsException: "org.apache.kafka.connect.errors.AlreadyExistsException",
  IllegalWorkerStateException: "org.apache.kafka.connect.errors.IllegalWorkerStateException",
  ConfigException: "org.apache.kafka.common.config.ConfigException",
};

/** The class name Kafka would show for this error: the SDK's exceptions map to Kafka's classes. */
export function exceptionClassName(error: unknown): string {
  if (!(error instanceof Error)) return typeof error;
  return JAVA_CLASSES[error.name] ?? error.name;
}

function frames(error: Error): string[] {
  return (error.stack ?? "")
    .split("\n")
    .filter((line) => /^\s+at /.test(line))
    .map((line) => `\tat ${line.trim().slice(3)}`);
}

function headline(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  return error.message ? `${exceptionClassName(error)}: ${error.message}` : exceptionClassName(error);
}

/** The error, its frames, and each cause in turn ("Caused by: ..."), as Java prints a Throwable. */
export function stackTraceOf(error: unknown): string {
  const lines: string[] = [];
  const seen = new Set<unknown>();
  let current: unknown = error;
  let first = true;
  while (current !== undefined && current !== null && !seen.has(current)) {
    seen.add(current);
    lines.push(`${first ? "" : "Caused by: "}${headline(current)}`);
    if (current instanceof Error) lines.push(...frames(current));
    first = false;
    current = current instanceof Error ? current.cause : undefined;
  }
  return lines.join("\n");
}
