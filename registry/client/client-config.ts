// A registry client from the configuration keys Confluent's serializers, deserializers and
// converters take (SchemaRegistryClientConfig / AbstractKafkaSchemaSerDeConfig):
//
//   schema.registry.url                   comma-separated base URLs (user:password@ allowed: sent as basic auth)
//   basic.auth.credentials.source         URL (default: credentials in the URL), USER_INFO, SASL_INHERIT
//   basic.auth.user.info                  user:password, with USER_INFO (also schema.registry.basic.auth.user.info)
//   bearer.auth.credentials.source        STATIC_TOKEN (with bearer.auth.token)
//   bearer.auth.logical.cluster, bearer.auth.identity.pool.id
//   max.schemas.per.subject               schemas remembered per subject (1000)
//   latest.cache.ttl.sec, latest.cache.size
//   http.read.timeout.ms, http.connect.timeout.ms   (60000 each; a request's whole time is their sum here)
//
// Only the keys the user set count for authentication, as in Confluent's client (its config
// defaults would otherwise conflict: basic's default source is URL, bearer's STATIC_TOKEN).
import { type CachedClientOptions, CachedSchemaRegistryClient } from "./cached-client.ts";
import type { RegistryAuth } from "./rest-service.ts";

/** Kafka's ConfigException shape, without depending on Connect's API from the client. */
export class RegistryConfigError extends Error {
  override name = "ConfigException";
}

type Originals = Readonly<Record<string, unknown>>;

function text(configs: Originals, key: string): string | null {
  const value = configs[key];
  if (value === undefined || value === null) return null;
  // A Password (Connect's) or anything else with a value() reads through it.
  if (typeof value === "object" && "value" in value && typeof (value as { value: unknown }).value === "function") {
    return String((value as { value: () => unknown }).value());
  }
  if (Array.isArray(value)) return value.map(String).join(",");
  return String(value);
}

function integer(configs: Originals, key: string, fallback: number): number {
  const raw = text(configs, key);
  if (raw === null || raw.trim() === "") return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n)) throw new RegistryConfigError(`Invalid value ${raw} for configuration ${key}: Not a number of type INT`);
  return n;
}

/** The URLs of schema.registry.url. */
export function registryUrls(configs: Originals): string[] {
  const raw = text(configs, "schema.registry.url");
  if (raw === null || raw.trim() === "") throw new RegistryConfigError('Missing required configuration "schema.registry.url" which has no default value.');
  return raw
    .split(",")
    .map((u) => u.trim())
    .filter((u) => u !== "");
}

/** The authentication the keys ask for. */
export function registryAuth(configs: Originals): RegistryAuth {
  const basicSource = text(configs, "basic.auth.credentials.source");
  const bearerSource = text(configs, "bearer.auth.credentials.source");
  if (basicSource && bearerSource) {
    throw new RegistryConfigError("Only one of 'basic.auth.credentials.source' and 'bearer.auth.credentials.source' may be specified");
  }
  if (bearerSource) {
    if (bearerSource.toUpperCase() !== "STATIC_TOKEN") {
      throw new RegistryConfigError(`Invalid value ${bearerSource} for configuration bearer.auth.credentials.source: only STATIC_TOKEN is supported`);
    }
    const token = text(configs, "bearer.auth.token");
    if (!token) throw new RegistryConfigError("bearer.auth.token must be set when bearer.auth.credentials.source is STATIC_TOKEN");
    const logicalCluster = text(configs, "bearer.auth.logical.cluster") ?? undefined;
    const identityPoolId = text(configs, "bearer.auth.identity.pool.id") ?? undefined;
    return { kind: "bearer", token, ...(logicalCluster ? { logicalCluster } : {}), ...(identityPoolId ? { identityPoolId } : {}) };
  }
  switch ((basicSource ?? "URL").toUpperCase()) {
    case "URL":
      return { kind: "none" };
    case "USER_INFO": {
      const userInfo = text(configs, "basic.auth.user.info") || text(configs, "schema.registry.basic.auth.user.info");
      if (!userInfo) throw new RegistryConfigError("basic.auth.user.info must be set (user:password) when basic.auth.credentials.source is USER_INFO");
      return { kind: "basic", userInfo };
    }
    case "SASL_INHERIT": {
      const jaas = text(configs, "sasl.jaas.config") ?? "";
      const user = /username\s*=\s*"([^"]*)"/.exec(jaas)?.[1];
      const password = /password\s*=\s*"([^"]*)"/.exec(jaas)?.[1];
      if (user === undefined || password === undefined) {
        throw new RegistryConfigError("basic.auth.credentials.source SASL_INHERIT needs a sasl.jaas.config with username and password");
      }
      return { kind: "basic", userInfo: `${user}:${password}` };
    }
    default:
      throw new RegistryConfigError(`Invalid value ${basicSource} for configuration basic.auth.credentials.source: must be URL, USER_INFO or SASL_INHERIT`);
  }
}

/** The client options the keys describe. */
export function clientOptions(configs: Originals): CachedClientOptions {
  return {
    urls: registryUrls(configs),
    auth: registryAuth(configs),
    timeoutMs: integer(configs, "http.connect.timeout.ms", 60_000) + integer(configs, "http.read.timeout.ms", 60_000),
    maxSchemasPerSubject: integer(configs, "max.schemas.per.subject", 1000),
    latestCacheTtlSec: integer(configs, "latest.cache.ttl.sec", -1),
    latestCacheSize: integer(configs, "latest.cache.size", 1000),
  };
}

/** A client configured from the keys. */
export function clientFromConfig(configs: Originals): CachedSchemaRegistryClient {
  return new CachedSchemaRegistryClient(clientOptions(configs));
}
