// Turns a thrown KafkaError into (errorCode, errorMessage) for a response entry; anything
// else is a bug and is rethrown (the connection then closes and the broker logs it).
import { KafkaError } from "../protocol/generated/errors.ts";

export function errorFields(err: unknown): { errorCode: number; errorMessage: string } {
  if (err instanceof KafkaError) return { errorCode: err.code, errorMessage: err.message };
  throw err;
}
