// How a registry-backed converter reports a failure to the Connect runtime, as Confluent's
// converters do: a registry answer that means the configuration is wrong (409 incompatible schema,
// 401/403) is a ConfigException "Failed to access <format> data from topic <t> : <registry message>";
// a registry that cannot be reached is retriable; anything else about the data is a DataException
// (one bad record: errors.tolerance applies). The registry's message stays in the text, since that
// is what a user reads in the task's status trace.
import { ConfigException, ConnectException, DataException, RetriableException } from "../../connect/api/index.ts";
import { RegistryConfigError, RegistryUnreachableError, RestClientException } from "../client/index.ts";
import { RegistryCallError } from "./registry-serde.ts";

export interface ConverterMessages {
  /** "Avro", "JSON Schema", "Protobuf". */
  readonly label: string;
  /** The DataException text for a record that could not be written: `(topic) => ...`. */
  readonly serializeFailed: (topic: string) => string;
  /** The DataException text for bytes that could not be read. */
  readonly deserializeFailed: (topic: string) => string;
}

function rootCause(e: unknown): unknown {
  return e instanceof RegistryCallError ? e.cause : e;
}

function translate(e: unknown, topic: string, messages: ConverterMessages, reading: boolean): Error {
  if (e instanceof ConnectException || e instanceof ConfigException) return e;
  if (e instanceof RegistryConfigError) return new ConfigException(e.message);
  const cause = rootCause(e);
  const detail = (e as Error).message ?? String(e);
  if (cause instanceof RestClientException && cause.isConfigurationError) {
    const error = new ConfigException(`Failed to access ${messages.label} data from topic ${topic} : ${cause.message}`);
    error.cause = e;
    return error;
  }
  if (cause instanceof RegistryUnreachableError) {
    return new RetriableException(`Network connection error while ${reading ? "deserializing" : "serializing"} ${messages.label} data for topic ${topic}: ${cause.message}`, { cause: e });
  }
  const prefix = reading ? messages.deserializeFailed(topic) : messages.serializeFailed(topic);
  return new DataException(`${prefix} ${detail}`, { cause: e });
}

export function serializationFailure(e: unknown, topic: string, messages: ConverterMessages): Error {
  return translate(e, topic, messages, false);
}

export function deserializationFailure(e: unknown, topic: string, messages: ConverterMessages): Error {
  return translate(e, topic, messages, true);
}
