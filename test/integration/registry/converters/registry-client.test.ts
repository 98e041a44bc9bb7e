// The registry client (registry/client) against the hub's Schema Registry: the calls the
// serdes make, Confluent's errors, references, caching and failover across URLs.
import { createServer } from "node:net";
import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CachedSchemaRegistryClient, RegistryUnreachableError, RestClientException, RestService } from "../../../../registry/client/index.ts";
import { registrySettings, type RunningRegistry, startRegistry } from "../../../../registry/index.ts";

const log = pino({ level: "silent" });
let registry: RunningRegistry;
let deadUrl: string;
let n = 0;
const subject = () => `client-${++n}-value`;

beforeAll(async () => {
  registry = await startRegistry(registrySettings(new Map([["listeners", "http://127.0.0.1:0"]])), log);
  // A port nothing listens on: bind one, note it, close it.
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
  const port = (server.address() as { port: number }).port;
  await new Promise<void>((r) => server.close(() => r()));
  deadUrl = `http://127.0.0.1:${port}`;
});

afterAll(async () => {
  await registry.stop();
});

const RECORD = '{"type":"record","name":"R","fields":[{"name":"a","type":"int"}]}';

describe("registry client", () => {
  it("registers, finds the same id again, looks the schema up and fetches it by id", async () => {
    const s = subject();
    const client = new CachedSchemaRegistryClient({ urls: [registry.url] });
    const id = await client.register(s, { schema: RECORD });
    expect(await new CachedSchemaRegistryClient({ urls: [registry.url] }).register(s, { schema: RECORD })).toBe(id);
    expect(await client.getId(s, { schema: RECORD })).toBe(id);
    expect(await client.getVersion(s, { schema: RECORD })).toBe(1);
    const byId = await client.getSchemaById(id);
    expect(byId).toMatchObject({ schema: RECORD, schemaType: "AVRO", references: [] });
    const latest = await client.getLatestSubjectVersion(s);
    expect(latest).toMatchObject({ subject: s, version: 1, id, schema: RECORD, schemaType: "AVRO" });
    expect(await client.getSubjectVersion(s, 1)).toMatchObject({ id });
  });

  it("raises the registry's errors with error_code and message", async () => {
    const client = new CachedSchemaRegistryClient({ urls: [registry.url] });
    const missing = await client.getLatestSubjectVersion("no-such-subject").catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(RestClientException);
    expect(missing).toMatchObject({ status: 404, errorCode: 40401, message: "Subject 'no-such-subject' not found.; error code: 40401" });
    const unknownId = await client.getSchemaById(123456).catch((e: unknown) => e);
    expect(unknownId).toMatchObject({ status: 404, errorCode: 40403 });
    const invalid = await client.register(subject(), { schema: '{"type":"record"}' }).catch((e: unknown) => e);
    expect(invalid).toMatchObject({ status: 422, errorCode: 42201 });
    expect((invalid as RestClientException).isConfigurationError).toBe(false);
    // A failure is not cached: the next call asks again.
    const s = subject();
    await expect(client.getId(s, { schema: RECORD })).rejects.toMatchObject({ errorCode: 40401 });
    await client.register(s, { schema: RECORD });
    expect(await client.getId(s, { schema: RECORD })).toBeGreaterThan(0);
  });

  it("registers JSON schemas and schemas with references, and resolves references when fetching by id", async () => {
    const client = new CachedSchemaRegistryClient({ urls: [registry.url] });
    const addressSubject = subject();
    const address = '{"type":"record","name":"Address","namespace":"com.example","fields":[{"name":"city","type":"string"}]}';
    await client.register(addressSubject, { schema: address });
    const user = '{"type":"record","name":"User","namespace":"com.example","fields":[{"name":"home","type":"com.example.Address"}]}';
    const references = [{ name: "com.example.Address", subject: addressSubject, version: 1 }];
    const id = await client.register(subject(), { schema: user, references });
    const fetched = await client.getSchemaById(id);
    expect(fetched.references).toEqual(references);
    expect([...fetched.resolvedReferences]).toEqual([["com.example.Address", address]]);
    const json = await client.register(subject(), { schema: '{"type":"object"}', schemaType: "JSON" });
    expect((await client.getSchemaById(json)).schemaType).toBe("JSON");
  });

  it("fails over to the next URL when one cannot be reached, and says so when none can", async () => {
    const client = new CachedSchemaRegistryClient({ urls: [deadUrl, registry.url] });
    const s = subject();
    expect(await client.register(s, { schema: RECORD })).toBeGreaterThan(0);
    expect(client.rest.urls).toEqual([deadUrl, registry.url]);
    const nowhere = new RestService({ urls: [deadUrl], timeoutMs: 5000 });
    const error = await nowhere.getAllSubjects().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RegistryUnreachableError);
    expect((error as Error).message).toBe(`GET ${deadUrl}/subjects failed: ECONNREFUSED`);
  });

  it("sends the user info of a URL as basic authentication instead of in the URL", async () => {
    const withUser = registry.url.replace("http://", "http://user:p%40ss@");
    const rest = new RestService({ urls: [withUser] });
    expect(rest.urls).toEqual([registry.url]);
    expect(Array.isArray(await rest.getAllSubjects())).toBe(true);
  });

  it("encodes subjects in paths", async () => {
    const client = new CachedSchemaRegistryClient({ urls: [registry.url] });
    const odd = `odd/subject ${n++}?#`;
    const id = await client.register(odd, { schema: RECORD });
    expect((await client.getLatestSubjectVersion(odd)).id).toBe(id);
  });
});
