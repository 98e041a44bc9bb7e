// Failures of the registry's store, carrying the error code Confluent's REST API answers with:
// 50001 when the backend store (the Kafka topic) failed, 50002 when an operation on it did not
// finish in time (kafkastore.timeout.ms). Confluent's KafkaStore throws StoreException and
// StoreTimeoutException for the same two cases; the REST layer turns them into a 500 answer
// with these codes.

/** The store could not do what was asked (REST error code 50001). */
export class RegistryStoreError extends Error {
  override name = "RegistryStoreError";
  /** Confluent's REST error code for this failure. */
  readonly errorCode: number = 50001;
}

/** The store did not finish in time; the write may still land later (REST error code 50002). */
export class RegistryStoreTimeoutError extends RegistryStoreError {
  override name = "RegistryStoreTimeoutError";
  override readonly errorCode: number = 50002;
}
