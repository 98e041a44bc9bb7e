// The registry's operations with Confluent's semantics, over the in-memory log and the real
// Avro format: registration and ids, compatibility, normalization, data-contract metadata,
// modes and IMPORT, soft and hard deletes, references, config and mode, and a second instance
// rebuilding the same state from the same log.
import { beforeEach, describe, expect, it } from "vitest";
import { NotLeaderError, RegistryError } from "../../../registry/errors.ts";
import { parseVersion, RegistryService, type RegistryServiceOptions } from "../../../registry/service.ts";
import { MemoryRegistryLog, MemoryTopic } from "../../../registry/store/memory-log.ts";
import { SingleInstanceElection } from "../../../registry/store/single-instance-election.ts";
import { RegistryState } from "../../../registry/store/state.ts";

const record = (name: string, fields: object[]): string => JSON.stringify({ type: "record", name, fields });
const INT_A = { name: "a", type: "int" };
const USER_V1 = record("User", [INT_A]);
const USER_V2 = record("User", [INT_A, { name: "b", type: "string", default: "x" }]);
const USER_BAD = record("User", [INT_A, { name: "c", type: "string" }]);

let topic: MemoryTopic;

async function instance(options: Partial<RegistryServiceOptions> = {}, eligible = true): Promise<RegistryService> {
  const log = new MemoryRegistryLog(topic);
  const state = new RegistryState();
  await log.start((r) => state.apply(r));
  const election = new SingleInstanceElection();
  await election.start({ host: "127.0.0.1", port: 8081, scheme: "http", leaderEligibility: eligible });
  return new RegistryService({ state, log, election, ...options });
}

async function refused(work: Promise<unknown> | (() => unknown), errorCode: number, message?: string | RegExp): Promise<RegistryError> {
  let error: unknown;
  try {
    await (typeof work === "function" ? work() : work);
  } catch (err) {
    error = err;
  }
  expect(error).toBeInstanceOf(RegistryError);
  const e = error as RegistryError;
  expect(e.errorCode).toBe(errorCode);
  if (typeof message === "string") expect(e.message).toBe(message);
  else if (message) expect(e.message).toMatch(message);
  return e;
}

let sr: RegistryService;
beforeEach(async () => {
  topic = new MemoryTopic();
  sr = await instance();
});

describe("registration", () => {
  it("gives the same schema the same id and version, in the same and in other subjects", async () => {
    expect(await sr.register("s", { schema: USER_V1 })).toEqual({ id: 1 });
    // Whitespace does not matter: the stored text is the canonical one.
    expect(await sr.register("s", { schema: JSON.stringify(JSON.parse(USER_V1), null, 2) })).toEqual({ id: 1 });
    expect(sr.listVersions("s")).toEqual([1]);
    expect(await sr.register("t", { schema: USER_V1 })).toEqual({ id: 1 });
    expect(await sr.register("s", { schema: USER_V2 })).toEqual({ id: 2 });
    expect(sr.listVersions("s")).toEqual([1, 2]);
    expect(sr.getVersion("s", "latest")).toMatchObject({ subject: "s", version: 2, id: 2, schemaType: "AVRO" });
    expect(sr.schemaById(1).schema).toBe('{"type":"record","name":"User","fields":[{"name":"a","type":"int"}]}');
    expect(sr.versionsForId(1, null, false)).toEqual([
      { subject: "s", version: 1 },
      { subject: "t", version: 1 },
    ]);
  });

  it("checks compatibility at the subject's level (BACKWARD by default) and answers 409 with Confluent's message", async () => {
    await sr.register("s", { schema: USER_V1 });
    const e = await refused(sr.register("s", { schema: USER_BAD }), 409);
    expect(e.status).toBe(409);
    expect(e.message).toMatch(/^Schema being registered is incompatible with an earlier schema for subject "s", details: \[\{errorType:'READER_FIELD_MISSING_DEFAULT_VALUE'/);
    expect(e.message).toContain("{oldSchemaVersion: 1}, {oldSchema: '");
    expect(e.message.endsWith("{validateFields: 'false', compatibility: 'BACKWARD'}]")).toBe(true);
    expect(sr.listVersions("s")).toEqual([1]);
    await sr.setConfig("s", { compatibilityLevel: "NONE" });
    expect(await sr.register("s", { schema: USER_BAD })).toEqual({ id: 2 });
  });

  it("answers 42201 for invalid schemas, unknown types and unknown references, and writes nothing", async () => {
    const before = topic.records.length;
    await refused(sr.register("s", { schema: '{"type":"recor"}' }), 42201, /^Invalid schema \{subject=s,version=0,id=-1,schemaType=AVRO,references=\[\],metadata=null,ruleSet=null,schema=\{"type":"recor"\},schemaTags=null\} with refs \[\] of type AVRO, details: /);
    await refused(sr.register("s", { schema: USER_V1, schemaType: "XML" }), 42201, "Invalid schema type XML");
    await refused(
      sr.register("s", { schema: record("P", [{ name: "a", type: "Address" }]), references: [{ name: "Address", subject: "nope", version: 1 }] }),
      42201,
      /with refs \[\{name='Address', subject='nope', version=1\}\] of type AVRO, details: No schema reference found for subject "nope" and version 1$/,
    );
    await refused(sr.register("s", {}), 42201, "Empty schema");
    await refused(sr.register("bad\u0001subject", { schema: USER_V1 }), 42208, "The specified subject 'bad\u0001subject' is not a valid.");
    expect(topic.records.length).toBe(before);
  });

  it("stores normalized schemas with normalize=true (from the request or the config)", async () => {
    const a = JSON.stringify({ type: "record", name: "N", fields: [{ name: "f", type: "int", "x-a": 1, "x-b": 2 }] });
    const b = JSON.stringify({ type: "record", name: "N", fields: [{ name: "f", type: "int", "x-b": 2, "x-a": 1 }] });
    const plainA = (await sr.register("p1", { schema: a })).id;
    const plainB = (await sr.register("p2", { schema: b })).id;
    expect(plainA).not.toBe(plainB);
    const normA = (await sr.register("n1", { schema: a }, { normalize: true })).id;
    const normB = (await sr.register("n2", { schema: b }, { normalize: true })).id;
    expect(normA).toBe(normB);
    await sr.setConfig("n3", { normalize: true });
    expect((await sr.register("n3", { schema: b })).id).toBe(normA);
  });

  it("stores and returns metadata and rule sets; the next version inherits them; they are part of the identity", async () => {
    const metadata = { properties: { owner: "team-a" } };
    const ruleSet = { domainRules: [{ name: "positive", kind: "CONDITION", mode: "WRITE", type: "CEL", expr: "message.a > 0", disabled: false }] };
    const first = await sr.register("m", { schema: USER_V1, metadata, ruleSet });
    expect(first).toMatchObject({ id: 1, schema: { version: 1, metadata, ruleSet } });
    expect(await sr.register("m", { schema: USER_V1, metadata, ruleSet })).toEqual({ id: 1 });
    // Without metadata: inherited from the latest version, answered in full.
    expect(await sr.register("m", { schema: USER_V1 })).toMatchObject({ id: 1, schema: { version: 1, metadata } });
    // Different metadata: a new version with a new id.
    expect(await sr.register("m", { schema: USER_V1, metadata: { properties: { owner: "team-b" } } })).toMatchObject({ id: 2, schema: { version: 2 } });
    // No schema at all: a new version of the latest schema with the new metadata.
    expect(await sr.register("m", { metadata: { properties: { owner: "team-c" } } })).toMatchObject({ id: 3, schema: { version: 3, schema: sr.schemaById(1).schema } });
    expect(sr.getVersion("m", "3").ruleSet).toEqual(ruleSet);
  });

  it("takes an explicit version only when it is the next one, and then tracks confluent:version", async () => {
    await sr.setConfig("v", { compatibilityLevel: "NONE" });
    expect(await sr.register("v", { schema: '"int"', version: 1 })).toMatchObject({ id: 1, schema: { version: 1, metadata: { properties: { "confluent:version": "1" } } } });
    await refused(sr.register("v", { schema: '"long"', version: 5 }), 42201, "Version is not one more than previous version");
    expect((await sr.register("v", { schema: '"long"' })).schema?.metadata).toEqual({ properties: { "confluent:version": "2" } });
  });
});

describe("lookup and reads", () => {
  it("finds the version a schema is registered as, and answers 40401/40403/40402/42202 otherwise", async () => {
    await sr.register("s", { schema: USER_V1 });
    expect(sr.lookup("s", { schema: USER_V1 })).toMatchObject({ subject: "s", version: 1, id: 1 });
    await refused(() => sr.lookup("s", { schema: USER_V2 }), 40403, "Schema not found");
    await refused(() => sr.lookup("nope", { schema: USER_V1 }), 40401, "Subject 'nope' not found.");
    await refused(() => sr.getVersion("s", "7"), 40402, "Version 7 not found.");
    await refused(() => sr.getVersion("s", "0"), 42202, `The specified version '0' is not a valid version id. Allowed values are between [1, 2^31-1] and the string "latest"`);
    await refused(() => sr.schemaById(99), 40403, "Schema 99 not found");
    expect(parseVersion("-1")).toBe(-1);
    expect(parseVersion("latest")).toBe(-1);
    expect(() => parseVersion("abc")).toThrow(RegistryError);
  });
});

describe("deletes", () => {
  beforeEach(async () => {
    await sr.setConfig("s", { compatibilityLevel: "NONE" });
    await sr.register("s", { schema: '"double"' });
    await sr.register("s", { schema: '"boolean"' });
  });

  it("soft-deletes a version, then deletes it permanently; each step refused out of order", async () => {
    await refused(sr.deleteVersion("s", "1", true), 40407, "Subject 's' Version 1 was not deleted first before being permanently deleted");
    expect(await sr.deleteVersion("s", "1", false)).toBe(1);
    await refused(sr.deleteVersion("s", "1", false), 40406, "Subject 's' Version 1 was soft deleted.Set permanent=true to delete permanently");
    expect(sr.listVersions("s")).toEqual([2]);
    expect(sr.listVersions("s", { deleted: true })).toEqual([1, 2]);
    expect(sr.listVersions("s", { deletedOnly: true })).toEqual([1]);
    // The id stays readable after a soft delete.
    expect(sr.schemaById(1).schema).toBe('"double"');
    expect(await sr.deleteVersion("s", "1", true)).toBe(1);
    expect(sr.listVersions("s", { deleted: true })).toEqual([2]);
    await refused(() => sr.schemaById(1), 40403);
  });

  it("soft-deletes a subject, then deletes it permanently", async () => {
    await refused(sr.deleteSubject("s", true), 40405, "Subject 's' was not deleted first before being permanently deleted");
    expect(await sr.deleteSubject("s", false)).toEqual([1, 2]);
    await refused(sr.deleteSubject("s", false), 40404, "Subject 's' was soft deleted.Set permanent=true to delete permanently");
    expect(sr.listSubjects()).toEqual([]);
    expect(sr.listSubjects({ deleted: true })).toEqual(["s"]);
    expect(sr.listSubjects({ deletedOnly: true })).toEqual(["s"]);
    // Emptying a subject drops its own config.
    await refused(() => sr.getConfig("s"), 40408);
    expect(await sr.deleteSubject("s", true)).toEqual([1, 2]);
    await refused(sr.deleteSubject("s", true), 40401, "Subject 's' not found.");
  });

  it("re-registering a soft-deleted schema gives it its id back under a new version, and purges the old version", async () => {
    await sr.deleteVersion("s", "1", false);
    expect(await sr.register("s", { schema: '"double"' })).toEqual({ id: 1 });
    expect(sr.listVersions("s", { deleted: true })).toEqual([2, 3]);
  });
});

describe("references", () => {
  it("resolves references, lists referrers, and refuses to delete a referenced version", async () => {
    await sr.register("address", { schema: record("Address", [{ name: "street", type: "string" }]) });
    const person = await sr.register("person", {
      schema: record("Person", [{ name: "home", type: "Address" }]),
      references: [{ name: "Address", subject: "address", version: 1 }],
    });
    expect(sr.getVersion("person", "1").references).toEqual([{ name: "Address", subject: "address", version: 1 }]);
    expect(sr.referencedBy("address", "1")).toEqual([person.id]);
    await refused(sr.deleteVersion("address", "1", false), 42206, "One or more references exist to the schema {magic=1,keytype=SCHEMA,subject=address,version=1}.");
    await refused(sr.deleteSubject("address", false), 42206);
    await sr.deleteSubject("person", false);
    expect(sr.referencedBy("address", "latest")).toEqual([]);
    expect(await sr.deleteSubject("address", false)).toEqual([1]);
  });
});

describe("config and mode", () => {
  it("reads and writes the global and subject configs, with defaultToGlobal", async () => {
    expect(sr.getConfig(null)).toEqual({ compatibilityLevel: "BACKWARD" });
    await refused(() => sr.getConfig("s"), 40408, "Subject 's' does not have subject-level compatibility configured");
    expect(sr.getConfig("s", true)).toEqual({ compatibilityLevel: "BACKWARD" });
    await sr.setConfig(null, { compatibilityLevel: "FULL" });
    await sr.setConfig("s", { normalize: true });
    expect(sr.getConfig("s", true)).toEqual({ normalize: true, compatibilityLevel: "FULL" });
    await sr.setConfig("s", { compatibilityLevel: "NONE" });
    expect(sr.getConfig("s")).toEqual({ normalize: true, compatibilityLevel: "NONE" });
    expect(await sr.deleteConfig("s")).toEqual({ normalize: true, compatibilityLevel: "NONE" });
    await refused(sr.deleteConfig("s"), 40401);
    expect(await sr.deleteConfig(null)).toEqual({ compatibilityLevel: "FULL" });
    expect(sr.getConfig(null)).toEqual({ compatibilityLevel: "BACKWARD" });
  });

  it("READONLY refuses writes with 42205 but still answers a schema the subject has", async () => {
    await sr.register("s", { schema: USER_V1 });
    await sr.setMode("s", "READONLY");
    expect(sr.getMode("s")).toBe("READONLY");
    expect(await sr.register("s", { schema: USER_V1 })).toEqual({ id: 1 });
    await refused(sr.register("s", { schema: USER_V2 }), 42205, "Subject s is in read-only mode");
    await refused(sr.deleteVersion("s", "1", false), 42205, "Subject s is in read-only mode");
    await refused(sr.setConfig("s", { compatibilityLevel: "NONE" }), 42205);
    expect(await sr.deleteMode("s")).toBe("READONLY");
    await refused(() => sr.getMode("s"), 40409, "Subject 's' does not have subject-level mode configured");
    expect(sr.getMode("s", true)).toBe("READWRITE");
    await sr.setMode(null, "READONLY_OVERRIDE");
    expect(sr.getMode("s")).toBe("READONLY_OVERRIDE");
  });

  it("IMPORT takes explicit ids and versions, only on an empty subject or when forced", async () => {
    await refused(sr.register("imp", { schema: USER_V1, id: 100 }), 42205, "Subject imp is not in import mode");
    await sr.register("used", { schema: '"int"' });
    await refused(sr.setMode("used", "IMPORT"), 42205, "Cannot import since found existing subjects");
    await refused(sr.setMode(null, "IMPORT"), 42205, "Cannot import since found existing subjects");
    await sr.setMode("imp", "IMPORT");
    expect(await sr.register("imp", { schema: USER_V1, id: 100, version: 1 })).toEqual({ id: 100 });
    // Replaying the same import answers the version without writing again.
    const records = topic.records.length;
    expect(await sr.register("imp", { schema: USER_V1, id: 100, version: 1 })).toMatchObject({ id: 100, schema: { version: 1 } });
    expect(topic.records.length).toBe(records);
    await refused(sr.register("imp", { schema: USER_V2, id: 100, version: 2 }), 42205, "Overwrite new schema with id 100 is not permitted.");
    await refused(sr.register("imp", { schema: USER_V2 }), 42205, "Subject imp is not in read-write mode");
    // No compatibility check in IMPORT; versions may jump.
    expect(await sr.register("imp", { schema: USER_BAD, id: 101, version: 10 })).toEqual({ id: 101 });
    expect(sr.listVersions("imp")).toEqual([1, 10]);
    await sr.deleteMode("imp");
    // Ids allocated after an import continue past the highest imported one.
    expect(await sr.register("after", { schema: '"bytes"' })).toEqual({ id: 102 });
    await sr.setMode("used", "IMPORT", true);
    expect(sr.getMode("used")).toBe("IMPORT");
  });

  it("with mode.mutability=false refuses mode changes", async () => {
    const fixed = await instance({ modeMutability: false });
    await refused(fixed.setMode(null, "READONLY"), 42205, "Mode changes are not allowed");
  });
});

describe("log and leadership", () => {
  it("a second instance rebuilds the same state from the same log", async () => {
    await sr.register("s", { schema: USER_V1 });
    await sr.register("s", { schema: USER_V2 });
    await sr.setConfig(null, { compatibilityLevel: "FULL" });
    await sr.deleteVersion("s", "1", false);
    const other = await instance();
    expect(other.listVersions("s", { deleted: true })).toEqual([1, 2]);
    expect(other.listVersions("s")).toEqual([2]);
    expect(other.getConfig(null)).toEqual({ compatibilityLevel: "FULL" });
    expect(other.schemaById(2).schema).toBe(sr.schemaById(2).schema);
    // Both instances see each other's writes (they share the topic).
    await other.register("t", { schema: '"string"' });
    expect(sr.schemaById(3).schema).toBe('"string"');
  });

  it("an instance that does not lead refuses writes with NotLeaderError, but answers reads", async () => {
    await sr.register("s", { schema: USER_V1 });
    const follower = await instance({}, false);
    expect(follower.getVersion("s", "1").id).toBe(1);
    // A schema the subject already has is answered without the leader (as Confluent does).
    expect(await follower.register("s", { schema: USER_V1 })).toEqual({ id: 1 });
    await expect(follower.register("s", { schema: USER_V2 })).rejects.toBeInstanceOf(NotLeaderError);
    await expect(follower.setConfig(null, { compatibilityLevel: "NONE" })).rejects.toBeInstanceOf(NotLeaderError);
  });

  it("a write the store refuses answers 50001 and changes nothing", async () => {
    const log = new MemoryRegistryLog(topic);
    const state = new RegistryState();
    await log.start((r) => state.apply(r));
    const election = new SingleInstanceElection();
    await election.start({ host: "h", port: 1, scheme: "http", leaderEligibility: true });
    const broken = new RegistryService({ state, log, election });
    await log.close();
    await refused(broken.register("s", { schema: USER_V1 }), 50001, "Register schema operation failed while writing to the Kafka store");
    expect(state.subjectNames("INCLUDE_DELETED")).toEqual([]);
  });
});
