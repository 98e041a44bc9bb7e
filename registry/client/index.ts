// A client of Confluent's Schema Registry REST API: what serializers, deserializers and the
// registry-backed Connect converters need, with Confluent's caching, failover, authentication
// and errors. Works against the hub's registry and against Confluent's.
export { BoundedCache } from "./bounded-cache.ts";
export { CachedSchemaRegistryClient, type CachedClientOptions, type ResolvedSchema, schemaKey } from "./cached-client.ts";
export { clientFromConfig, clientOptions, RegistryConfigError, registryAuth, registryUrls } from "./client-config.ts";
export type { CompatibilityResponse, RegisterResponse, SchemaById, SchemaReference, SchemaSpec, SchemaType, SubjectVersion } from "./entities.ts";
export { ERROR_SCHEMA_NOT_FOUND, ERROR_SUBJECT_NOT_FOUND, ERROR_UNPARSEABLE_RESPONSE, ERROR_VERSION_NOT_FOUND, RegistryUnreachableError, RestClientException } from "./errors.ts";
export { type RegistryAuth, RestService, type RestServiceOptions } from "./rest-service.ts";
