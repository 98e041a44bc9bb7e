// The hub's Schema Registry in the test's process (REST on 127.0.0.1, in-memory log), for the
// converter tests: started before a file's tests and stopped after them, with the REST calls the
// tests check it with and converters configured against it.
import { pino } from "pino";
import { afterAll, beforeAll } from "vitest";
import type { Converter } from "../../../../connect/api/index.ts";
import { registrySettings, type RunningRegistry, startRegistry } from "../../../../registry/index.ts";

export interface RestReply {
  readonly status: number;
  readonly body: unknown;
}

export interface HubRegistry {
  readonly url: string;
  /** One call to the registry's REST API (a body is sent as Confluent's JSON content type). */
  call(method: string, path: string, body?: unknown): Promise<RestReply>;
  /** `converter` configured against this registry (schema.registry.url, then `configs`). */
  configured<C extends Converter>(converter: C, isKey?: boolean, configs?: Record<string, unknown>): C;
}

/** Starts the registry in beforeAll and stops it in afterAll; use what it returns inside the tests. */
export function useHubRegistry(): HubRegistry {
  let registry: RunningRegistry | undefined;
  beforeAll(async () => {
    registry = await startRegistry(registrySettings(new Map([["listeners", "http://127.0.0.1:0"]])), pino({ level: "silent" }));
  });
  afterAll(async () => {
    await registry?.stop();
  });
  const url = (): string => {
    if (registry === undefined) throw new Error("the registry is started in beforeAll: use it inside a test");
    return registry.url;
  };
  return {
    get url() {
      return url();
    },
    async call(method, path, body) {
      const res = await fetch(`${url()}${path}`, {
        method,
        headers: body === undefined ? {} : { "content-type": "application/vnd.schemaregistry.v1+json" },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      return { status: res.status, body: await res.json() };
    },
    configured(converter, isKey = false, configs = {}) {
      converter.configure({ "schema.registry.url": url(), ...configs }, isKey);
      return converter;
    },
  };
}
