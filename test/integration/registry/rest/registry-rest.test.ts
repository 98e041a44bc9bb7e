// Confluent's Schema Registry REST API over HTTP: the registry's REST server on 127.0.0.1 (a free
// port) over the in-memory log, every endpoint and error code, with Confluent's bodies, media
// types and messages. Mostly Avro; JSON Schema and Protobuf where their behaviour differs.
import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { registrySettings, type RunningRegistry, startRegistry } from "../../../../registry/index.ts";

const log = pino({ level: "silent" });
let registry: RunningRegistry;

interface Answer {
  status: number;
  contentType: string | null;
  text: string;
  body: unknown;
}

async function call(method: string, path: string, body?: unknown, headers: Record<string, string> = {}, base = registry.url): Promise<Answer> {
  const hasBody = body !== undefined;
  const res = await fetch(`${base}${path}`, {
    method,
    headers: { ...(hasBody ? { "content-type": "application/vnd.schemaregistry.v1+json" } : {}), ...headers },
    ...(hasBody ? { body: typeof body === "string" ? body : JSON.stringify(body) } : {}),
  });
  const text = await res.text();
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  return { status: res.status, contentType: res.headers.get("content-type"), text, body: parsed };
}

const ok = async (method: string, path: string, body?: unknown): Promise<unknown> => {
  const a = await call(method, path, body);
  expect(a.status, `${method} ${path}: ${a.text}`).toBe(200);
  return a.body;
};

async function fails(method: string, path: string, body: unknown, status: number, errorCode: number, message?: string | RegExp): Promise<string> {
  const a = await call(method, path, body);
  expect(a.status, a.text).toBe(status);
  const b = a.body as { error_code: number; message: string };
  expect(b.error_code, a.text).toBe(errorCode);
  if (typeof message === "string") expect(b.message).toBe(message);
  else if (message) expect(b.message).toMatch(message);
  expect(a.text).not.toMatch(/\n\s+at /);
  return b.message;
}

const record = (name: string, fields: object[]): string => JSON.stringify({ type: "record", name, fields });
const A = { name: "a", type: "int" };
const B = { name: "b", type: "string" };
const B_DEFAULT = { name: "b", type: "string", default: "x" };

beforeAll(async () => {
  registry = await startRegistry(registrySettings(new Map([["listeners", "http://127.0.0.1:0"]])), log);
});

afterAll(async () => {
  await registry.stop();
});

describe("resources and media types", () => {
  it("answers the root, the schema types and the contexts", async () => {
    expect(await ok("GET", "/")).toEqual({});
    expect(await ok("GET", "/schemas/types")).toEqual(["JSON", "PROTOBUF", "AVRO"]);
    expect(await ok("GET", "/contexts")).toEqual(["."]);
  });

  it("answers with Confluent's media types, negotiated from Accept", async () => {
    expect((await call("GET", "/subjects")).contentType).toBe("application/vnd.schemaregistry.v1+json");
    expect((await call("GET", "/subjects", undefined, { accept: "application/json" })).contentType).toBe("application/json");
    expect((await call("GET", "/subjects", undefined, { accept: "application/vnd.schemaregistry+json" })).contentType).toBe("application/vnd.schemaregistry+json");
    expect((await call("GET", "/subjects", undefined, { accept: "*/*" })).contentType).toBe("application/vnd.schemaregistry.v1+json");
    const refused = await call("GET", "/subjects", undefined, { accept: "text/html" });
    expect([refused.status, refused.body]).toEqual([406, { error_code: 406, message: "HTTP 406 Not Acceptable" }]);
  });

  it("takes request bodies of Confluent's media types, and 415 for others", async () => {
    const schema = { schema: '"string"' };
    for (const type of ["application/vnd.schemaregistry.v1+json", "application/vnd.schemaregistry+json", "application/json", "application/octet-stream"]) {
      const a = await call("POST", "/subjects/media-types/versions", JSON.stringify(schema), { "content-type": type });
      expect(a.status, `${type}: ${a.text}`).toBe(200);
    }
    const a = await call("POST", "/subjects/media-types/versions", JSON.stringify(schema), { "content-type": "text/plain" });
    expect([a.status, a.body]).toEqual([415, { error_code: 415, message: "HTTP 415 Unsupported Media Type" }]);
  });

  it("answers 404 and 405 as Jersey does", async () => {
    expect((await call("GET", "/nope")).body).toEqual({ error_code: 404, message: "HTTP 404 Not Found" });
    expect((await call("PUT", "/subjects")).body).toEqual({ error_code: 405, message: "HTTP 405 Method Not Allowed" });
    expect((await call("GET", "/schemas/ids/abc")).body).toEqual({ error_code: 404, message: "HTTP 404 Not Found" });
  });
});

describe("registering and reading", () => {
  const v1 = record("User", [A]);
  const v2 = record("User", [A, B_DEFAULT]);

  it("registers, answers the same id again, and reuses ids across subjects", async () => {
    const first = (await ok("POST", "/subjects/users-value/versions", { schema: v1 })) as { id: number };
    expect(Object.keys(first)).toEqual(["id"]);
    expect(await ok("POST", "/subjects/users-value/versions", { schema: JSON.stringify(JSON.parse(v1), null, 2) })).toEqual(first);
    expect(await ok("POST", "/subjects/users-copy/versions", { schema: v1, schemaType: "AVRO" })).toEqual(first);
    const second = (await ok("POST", "/subjects/users-value/versions", { schema: v2 })) as { id: number };
    expect(second.id).toBe(first.id + 1);
    expect(await ok("GET", "/subjects/users-value/versions")).toEqual([1, 2]);
    expect(await ok("GET", "/subjects?subjectPrefix=users-")).toEqual(["users-copy", "users-value"]);
  });

  it("reads versions: by number, latest and -1, the raw schema", async () => {
    const latest = await ok("GET", "/subjects/users-value/versions/latest");
    expect(latest).toEqual({ subject: "users-value", version: 2, id: expect.any(Number), schema: JSON.stringify(JSON.parse(v2)) });
    expect(Object.keys(latest as object)).toEqual(["subject", "version", "id", "schema"]);
    expect(await ok("GET", "/subjects/users-value/versions/-1")).toEqual(latest);
    const raw = await call("GET", "/subjects/users-value/versions/1/schema");
    expect(raw.text).toBe('{"type":"record","name":"User","fields":[{"name":"a","type":"int"}]}');
    await fails("GET", "/subjects/users-value/versions/3", undefined, 404, 40402, "Version 3 not found.");
    await fails("GET", "/subjects/nobody/versions/1", undefined, 404, 40401, "Subject 'nobody' not found.");
    await fails("GET", "/subjects/nobody/versions", undefined, 404, 40401, "Subject 'nobody' not found.");
    for (const bad of ["0", "-2", "abc", "2147483648"]) {
      await fails("GET", `/subjects/users-value/versions/${bad}`, undefined, 422, 42202, `The specified version '${bad}' is not a valid version id. Allowed values are between [1, 2^31-1] and the string "latest"`);
    }
  });

  it("reads schemas by id: the schema, the raw text, its subjects and versions", async () => {
    const { id } = (await ok("GET", "/subjects/users-value/versions/1")) as { id: number };
    expect(await ok("GET", `/schemas/ids/${id}`)).toEqual({ schema: JSON.stringify(JSON.parse(v1)) });
    expect(await ok("GET", `/schemas/ids/${id}?subject=users-copy`)).toEqual({ schema: JSON.stringify(JSON.parse(v1)) });
    expect((await call("GET", `/schemas/ids/${id}/schema`)).text).toBe(JSON.stringify(JSON.parse(v1)));
    expect(await ok("GET", `/schemas/ids/${id}/subjects`)).toEqual(["users-copy", "users-value"]);
    expect(await ok("GET", `/schemas/ids/${id}/versions`)).toEqual([
      { subject: "users-copy", version: 1 },
      { subject: "users-value", version: 1 },
    ]);
    await fails("GET", "/schemas/ids/9999", undefined, 404, 40403, "Schema 9999 not found");
    await fails("GET", "/schemas/ids/9999/versions", undefined, 404, 40403, "Schema not found");
    const listed = (await ok("GET", "/schemas?subjectPrefix=users-value&latestOnly=true")) as Array<{ version: number }>;
    expect(listed.map((s) => s.version)).toEqual([2]);
  });

  it("stores the normalized text with normalize=true", async () => {
    const a = JSON.stringify({ type: "record", name: "N", fields: [{ name: "f", type: "int", "x-a": 1, "x-b": 2 }] });
    const b = JSON.stringify({ type: "record", name: "N", fields: [{ name: "f", type: "int", "x-b": 2, "x-a": 1 }] });
    const plainA = await ok("POST", "/subjects/norm-a/versions", { schema: a });
    expect(await ok("POST", "/subjects/norm-b/versions", { schema: b })).not.toEqual(plainA);
    const normalized = await ok("POST", "/subjects/norm-c/versions?normalize=true", { schema: a });
    expect(await ok("POST", "/subjects/norm-d/versions?normalize=true", { schema: b })).toEqual(normalized);
    expect(await ok("POST", "/subjects/norm-d?normalize=true", { schema: a })).toMatchObject({ subject: "norm-d", version: 1 });
  });

  it("looks a schema up under a subject", async () => {
    expect(await ok("POST", "/subjects/users-value", { schema: v1 })).toMatchObject({ subject: "users-value", version: 1, schema: JSON.stringify(JSON.parse(v1)) });
    await fails("POST", "/subjects/users-value", { schema: record("User", [B]) }, 404, 40403, "Schema not found");
    await fails("POST", "/subjects/nobody", { schema: v1 }, 404, 40401, "Subject 'nobody' not found.");
  });

  it("stores and returns metadata and rule sets", async () => {
    const metadata = { properties: { owner: "team-a" }, tags: { "User.a": ["PII"] } };
    const ruleSet = { domainRules: [{ name: "positive", kind: "CONDITION", mode: "WRITE", type: "CEL", expr: "message.a > 0" }] };
    const answer = await ok("POST", "/subjects/contracts/versions", { schema: v1, metadata, ruleSet });
    expect(answer).toEqual({
      id: expect.any(Number),
      version: 1,
      metadata: { tags: { "User.a": ["PII"] }, properties: { owner: "team-a" } },
      ruleSet: { domainRules: [{ ...ruleSet.domainRules[0], disabled: false }] },
      schema: JSON.stringify(JSON.parse(v1)),
    });
    expect(await ok("GET", "/subjects/contracts/versions/1")).toMatchObject({ metadata: { properties: { owner: "team-a" } }, ruleSet: { domainRules: [{ name: "positive" }] } });
  });
});

describe("refused requests write nothing", () => {
  it("answers malformed or mistyped bodies with 400, a missing body with 422", async () => {
    await fails("POST", "/subjects/bad/versions", "{bad", 400, 400, "Unexpected character ('b' (code 98)): was expecting double-quote to start field name");
    await fails("POST", "/subjects/bad/versions", "xyz", 400, 400, /^Unrecognized token 'xyz'/);
    await fails("POST", "/subjects/bad/versions", '{"schema":', 400, 400, /^Unexpected end-of-input/);
    await fails("POST", "/subjects/bad/versions", "[1]", 400, 400, /^Cannot deserialize value of type `.*RegisterSchemaRequest` from Array value/);
    await fails("POST", "/subjects/bad/versions", { schema: { type: "string" } }, 400, 400, /^Cannot deserialize value of type `java.lang.String` from Object value/);
    await fails("POST", "/subjects/bad/versions", { schema: '"int"', references: "x" }, 400, 400, /^Cannot deserialize value of type `java.util.ArrayList/);
    await fails("POST", "/subjects/bad/versions", { schema: '"int"', version: "one" }, 400, 400, /not a valid `java.lang.Integer` value/);
    await fails("POST", "/subjects/bad/versions", undefined, 422, 422);
  });

  it("answers invalid schemas, schema types and references with 42201", async () => {
    await fails("POST", "/subjects/bad/versions", { schema: '{"type":"recor"}' }, 422, 42201, /^Invalid schema \{subject=bad,version=0,id=-1,schemaType=AVRO,.*details: /);
    await fails("POST", "/subjects/bad/versions", { schema: '"int"', schemaType: "XML" }, 422, 42201, "Invalid schema type XML");
    await fails(
      "POST",
      "/subjects/bad/versions",
      { schema: record("P", [{ name: "x", type: "Missing" }]), references: [{ name: "Missing", subject: "nowhere", version: 1 }] },
      422,
      42201,
      /details: No schema reference found for subject "nowhere" and version 1$/,
    );
    await fails("POST", "/subjects/bad/versions", { schema: "" }, 422, 42201, "Empty schema");
    await fails("PUT", "/config/bad", { compatibility: "SIDEWAYS" }, 422, 42203, "Invalid compatibility level. Valid values are none, backward, forward, full, backward_transitive, forward_transitive, and full_transitive");
    await fails("PUT", "/mode/bad", { mode: "WRITEONLY" }, 422, 42204, "Invalid mode. Valid values are READWRITE, READONLY, and IMPORT.");
    expect(await ok("GET", "/subjects?deleted=true&subjectPrefix=bad")).toEqual([]);
    await fails("GET", "/config/bad", undefined, 404, 40408);
  });

  it("answers a schema too large for the store with 42209", async () => {
    const huge = JSON.stringify({ type: "record", name: "Huge", doc: "x".repeat(1_100_000), fields: [A] });
    await fails("POST", "/subjects/huge/versions", { schema: huge }, 500, 42209, "Register operation failed because schema is too large");
    await fails("GET", "/subjects/huge/versions", undefined, 404, 40401);
  });
});

describe("deletes", () => {
  it("soft-deletes and hard-deletes versions and subjects with Confluent's codes", async () => {
    await ok("PUT", "/config/del", { compatibility: "NONE" });
    await ok("POST", "/subjects/del/versions", { schema: '"double"' });
    await ok("POST", "/subjects/del/versions", { schema: '"boolean"' });
    await ok("POST", "/subjects/del/versions", { schema: '"bytes"' });
    await fails("DELETE", "/subjects/del/versions/1?permanent=true", undefined, 404, 40407, "Subject 'del' Version 1 was not deleted first before being permanently deleted");
    expect(await ok("DELETE", "/subjects/del/versions/1")).toBe(1);
    await fails("DELETE", "/subjects/del/versions/1", undefined, 404, 40406, "Subject 'del' Version 1 was soft deleted.Set permanent=true to delete permanently");
    await fails("GET", "/subjects/del/versions/1", undefined, 404, 40402, "Version 1 not found.");
    expect(await ok("GET", "/subjects/del/versions/1?deleted=true")).toMatchObject({ version: 1, schema: '"double"' });
    expect(await ok("GET", "/subjects/del/versions?deleted=true")).toEqual([1, 2, 3]);
    expect(await ok("GET", "/subjects/del/versions?deletedOnly=true")).toEqual([1]);
    expect(await ok("DELETE", "/subjects/del/versions/1?permanent=true")).toBe(1);
    expect(await ok("DELETE", "/subjects/del/versions/latest")).toBe(3);
    await fails("DELETE", "/subjects/del?permanent=true", undefined, 404, 40405, "Subject 'del' was not deleted first before being permanently deleted");
    expect(await ok("DELETE", "/subjects/del")).toEqual([2]);
    await fails("DELETE", "/subjects/del", undefined, 404, 40404, "Subject 'del' was soft deleted.Set permanent=true to delete permanently");
    expect(await ok("GET", "/subjects?deletedOnly=true&subjectPrefix=del")).toEqual(["del"]);
    expect(await ok("GET", "/subjects?subjectPrefix=del")).toEqual([]);
    // The subject's own config went with its last live version.
    await fails("GET", "/config/del", undefined, 404, 40408);
    expect(await ok("DELETE", "/subjects/del?permanent=true")).toEqual([2, 3]);
    await fails("DELETE", "/subjects/del", undefined, 404, 40401, "Subject 'del' not found.");
    await fails("DELETE", "/subjects/del/versions/1", undefined, 404, 40401, "Subject 'del' not found.");
  });
});

describe("references", () => {
  it("registers schemas with references, lists referrers, and refuses deleting what is referenced", async () => {
    const address = (await ok("POST", "/subjects/address/versions", { schema: record("Address", [{ name: "street", type: "string" }]) })) as { id: number };
    const person = (await ok("POST", "/subjects/person/versions", {
      schema: record("Person", [{ name: "home", type: "Address" }]),
      references: [{ name: "Address", subject: "address", version: 1 }],
    })) as { id: number };
    expect(await ok("GET", "/subjects/person/versions/1")).toMatchObject({ references: [{ name: "Address", subject: "address", version: 1 }] });
    expect(await ok("GET", `/schemas/ids/${person.id}`)).toMatchObject({ references: [{ name: "Address", subject: "address", version: 1 }] });
    expect(await ok("GET", "/subjects/address/versions/1/referencedby")).toEqual([person.id]);
    await fails("DELETE", "/subjects/address/versions/1", undefined, 422, 42206, "One or more references exist to the schema {magic=1,keytype=SCHEMA,subject=address,version=1}.");
    await fails("DELETE", "/subjects/address", undefined, 422, 42206);
    await ok("DELETE", "/subjects/person");
    expect(await ok("GET", "/subjects/address/versions/latest/referencedby")).toEqual([]);
    expect(await ok("DELETE", "/subjects/address")).toEqual([1]);
    expect(address.id).toBeGreaterThan(0);
  });
});

describe("config and mode", () => {
  it("reads, sets and deletes the global and subject configs", async () => {
    expect(await ok("GET", "/config")).toEqual({ compatibilityLevel: "BACKWARD" });
    expect(await ok("PUT", "/config", { compatibility: "full" })).toEqual({ compatibility: "full" });
    expect(await ok("GET", "/config")).toEqual({ compatibilityLevel: "FULL" });
    await fails("GET", "/config/cfg", undefined, 404, 40408, "Subject 'cfg' does not have subject-level compatibility configured");
    expect(await ok("GET", "/config/cfg?defaultToGlobal=true")).toEqual({ compatibilityLevel: "FULL" });
    expect(await ok("PUT", "/config/cfg", { compatibility: "FORWARD_TRANSITIVE", normalize: true })).toEqual({ normalize: true, compatibility: "FORWARD_TRANSITIVE" });
    expect(await ok("GET", "/config/cfg")).toEqual({ normalize: true, compatibilityLevel: "FORWARD_TRANSITIVE" });
    expect(await ok("DELETE", "/config/cfg")).toEqual({ normalize: true, compatibilityLevel: "FORWARD_TRANSITIVE" });
    await fails("DELETE", "/config/cfg", undefined, 404, 40401, "Subject 'cfg' not found.");
    expect(await ok("DELETE", "/config")).toEqual({ compatibilityLevel: "FULL" });
    expect(await ok("GET", "/config")).toEqual({ compatibilityLevel: "BACKWARD" });
  });

  it("READONLY refuses writes with 42205", async () => {
    await ok("POST", "/subjects/ro/versions", { schema: '"int"' });
    expect(await ok("PUT", "/mode/ro", { mode: "READONLY" })).toEqual({ mode: "READONLY" });
    expect(await ok("GET", "/mode/ro")).toEqual({ mode: "READONLY" });
    await fails("POST", "/subjects/ro/versions", { schema: '"long"' }, 422, 42205, "Subject ro is in read-only mode");
    await fails("DELETE", "/subjects/ro", undefined, 422, 42205, "Subject ro is in read-only mode");
    expect(await ok("DELETE", "/mode/ro")).toEqual({ mode: "READONLY" });
    await fails("GET", "/mode/ro", undefined, 404, 40409, "Subject 'ro' does not have subject-level mode configured");
    await fails("DELETE", "/mode/ro", undefined, 404, 40401);
    expect(await ok("GET", "/mode/ro?defaultToGlobal=true")).toEqual({ mode: "READWRITE" });
    expect(await ok("GET", "/mode")).toEqual({ mode: "READWRITE" });
  });

  it("IMPORT registers explicit ids and versions, on an empty subject", async () => {
    await fails("POST", "/subjects/imported/versions", { schema: '"string"', id: 500, version: 1 }, 422, 42205, "Subject imported is not in import mode");
    await fails("PUT", "/mode/ro", { mode: "IMPORT" }, 422, 42205, "Cannot import since found existing subjects");
    expect(await ok("PUT", "/mode/imported", { mode: "import" })).toEqual({ mode: "import" });
    expect(await ok("GET", "/mode/imported")).toEqual({ mode: "IMPORT" });
    expect(await ok("POST", "/subjects/imported/versions", { schema: '"string"', id: 500, version: 3 })).toEqual({ id: 500 });
    await fails("POST", "/subjects/imported/versions", { schema: '"long"', id: 500, version: 4 }, 422, 42205, "Overwrite new schema with id 500 is not permitted.");
    await fails("POST", "/subjects/imported/versions", { schema: '"long"' }, 422, 42205, "Subject imported is not in read-write mode");
    expect(await ok("GET", "/subjects/imported/versions")).toEqual([3]);
    expect(await ok("GET", "/schemas/ids/500")).toEqual({ schema: '"string"' });
    await ok("PUT", "/mode/imported", { mode: "READWRITE" });
    expect(await ok("POST", "/subjects/imported/versions", { schema: '"string"' })).toEqual({ id: 500 });
    const next = (await ok("POST", "/subjects/after-import/versions", { schema: '"float"' })) as { id: number };
    expect(next.id).toBe(501);
  });
});

describe("compatibility checks", () => {
  // Three-version histories where the latest-only and the transitive answers differ.
  const histories = {
    BACKWARD: { versions: [record("R", [A]), record("R", [A, B_DEFAULT])], candidate: record("R", [A, B]), failsAt: 1 },
    FORWARD: { versions: [record("R", [A, B]), record("R", [A, B_DEFAULT])], candidate: record("R", [A]), failsAt: 1 },
    FULL: { versions: [record("R", [A]), record("R", [A, B_DEFAULT])], candidate: record("R", [A, B]), failsAt: 1 },
  } as const;

  for (const [level, h] of Object.entries(histories)) {
    it(`${level} checks the latest version, ${level}_TRANSITIVE every version (verbose answers)`, async () => {
      const subject = `compat-${level.toLowerCase()}`;
      await ok("PUT", `/config/${subject}`, { compatibility: "NONE" });
      for (const v of h.versions) await ok("POST", `/subjects/${subject}/versions`, { schema: v });
      await ok("PUT", `/config/${subject}`, { compatibility: level });
      expect(await ok("POST", `/compatibility/subjects/${subject}/versions?verbose=true`, { schema: h.candidate })).toEqual({ is_compatible: true, messages: [] });
      expect(await ok("POST", `/compatibility/subjects/${subject}/versions/latest`, { schema: h.candidate })).toEqual({ is_compatible: true });
      const against1 = (await ok("POST", `/compatibility/subjects/${subject}/versions/1?verbose=true`, { schema: h.candidate })) as { is_compatible: boolean; messages: string[] };
      expect(against1.is_compatible).toBe(false);
      expect(against1.messages).toContain(`{oldSchemaVersion: ${h.failsAt}}`);
      expect(against1.messages.at(-1)).toBe(`{validateFields: 'false', compatibility: '${level}'}`);

      await ok("PUT", `/config/${subject}`, { compatibility: `${level}_TRANSITIVE` });
      const transitive = (await ok("POST", `/compatibility/subjects/${subject}/versions?verbose=true`, { schema: h.candidate })) as { is_compatible: boolean; messages: string[] };
      expect(transitive.is_compatible).toBe(false);
      expect(transitive.messages).toContain(`{oldSchemaVersion: ${h.failsAt}}`);
      expect(transitive.messages.at(-1)).toBe(`{validateFields: 'false', compatibility: '${level}_TRANSITIVE'}`);
      expect(await ok("POST", `/compatibility/subjects/${subject}/versions`, { schema: h.candidate })).toEqual({ is_compatible: false });
      const refused = await fails("POST", `/subjects/${subject}/versions`, { schema: h.candidate }, 409, 409);
      expect(refused).toMatch(new RegExp(`^Schema being registered is incompatible with an earlier schema for subject "${subject}", details: \\[`));
      await ok("PUT", `/config/${subject}`, { compatibility: level });
      expect(await ok("POST", `/subjects/${subject}/versions`, { schema: h.candidate })).toEqual({ id: expect.any(Number) });
    });
  }

  it("NONE accepts anything; checks answer 40401/40402/42202 and verbose invalid schemas", async () => {
    await ok("PUT", "/config/compat-none", { compatibility: "NONE" });
    await ok("POST", "/subjects/compat-none/versions", { schema: '"int"' });
    expect(await ok("POST", "/compatibility/subjects/compat-none/versions/latest?verbose=true", { schema: '"string"' })).toEqual({ is_compatible: true, messages: [] });
    expect(await ok("POST", "/compatibility/subjects/nobody/versions/latest", { schema: '"string"' })).toEqual({ is_compatible: true });
    expect(await ok("POST", "/compatibility/subjects/nobody/versions", { schema: '"string"' })).toEqual({ is_compatible: true });
    await fails("POST", "/compatibility/subjects/nobody/versions/1", { schema: '"string"' }, 404, 40401);
    await fails("POST", "/compatibility/subjects/compat-none/versions/9", { schema: '"string"' }, 404, 40402, "Version 9 not found.");
    await fails("POST", "/compatibility/subjects/compat-none/versions/x", { schema: '"string"' }, 422, 42202);
    await fails("POST", "/compatibility/subjects/compat-none/versions/latest", { schema: "{" }, 422, 42201);
    const verbose = (await ok("POST", "/compatibility/subjects/compat-none/versions/latest?verbose=true", { schema: "{" })) as { is_compatible: boolean; messages: string[] };
    expect(verbose.is_compatible).toBe(false);
    expect(verbose.messages[0]).toMatch(/^Invalid schema /);
  });
});

describe("JSON Schema and Protobuf", () => {
  it("registers JSON schemas and checks their compatibility", async () => {
    const open = JSON.stringify({ type: "object", properties: { a: { type: "string" } } });
    const closed = JSON.stringify({ type: "object", properties: { a: { type: "string" } }, additionalProperties: false });
    const reg = (await ok("POST", "/subjects/json-value/versions", { schemaType: "JSON", schema: open })) as { id: number };
    expect(await ok("GET", "/subjects/json-value/versions/1")).toEqual({ subject: "json-value", version: 1, id: reg.id, schemaType: "JSON", schema: open });
    expect(await ok("GET", `/schemas/ids/${reg.id}`)).toEqual({ schemaType: "JSON", schema: open });
    const check = (await ok("POST", "/compatibility/subjects/json-value/versions/latest?verbose=true", { schemaType: "JSON", schema: closed })) as { is_compatible: boolean; messages: string[] };
    expect(check.is_compatible).toBe(false);
    expect(check.messages[0]).toMatch(/ADDITIONAL_PROPERTIES/);
    await fails("POST", "/subjects/json-value/versions", { schemaType: "JSON", schema: '{"type": 12' }, 422, 42201);
    // Another format in the same subject is incompatible.
    const mixed = (await ok("POST", "/compatibility/subjects/json-value/versions/latest?verbose=true", { schema: '"string"' })) as { messages: string[] };
    expect(mixed.messages[0]).toBe("Incompatible because of different schema type");
  });

  it("registers Protobuf schemas and checks their compatibility", async () => {
    const v1 = 'syntax = "proto3";\nmessage Order {\n  string id = 1;\n}\n';
    const changed = 'syntax = "proto3";\nmessage Order {\n  int32 id = 1;\n}\n';
    const reg = (await ok("POST", "/subjects/proto-value/versions", { schemaType: "PROTOBUF", schema: v1 })) as { id: number };
    const stored = (await ok("GET", "/subjects/proto-value/versions/1")) as { schemaType: string; schema: string };
    expect(stored.schemaType).toBe("PROTOBUF");
    expect(stored.schema).toContain("message Order");
    expect(await ok("POST", "/subjects/proto-value", { schemaType: "PROTOBUF", schema: v1 })).toMatchObject({ id: reg.id, version: 1 });
    const check = (await ok("POST", "/compatibility/subjects/proto-value/versions/latest?verbose=true", { schemaType: "PROTOBUF", schema: changed })) as { is_compatible: boolean; messages: string[] };
    expect(check.is_compatible).toBe(false);
    expect(check.messages.join(" ")).toMatch(/FIELD_SCALAR_KIND_CHANGED/);
  });
});
