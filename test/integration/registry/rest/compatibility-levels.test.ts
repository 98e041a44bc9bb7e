// Every compatibility level for every format, over the REST API, on three-version histories where
// the transitive and the non-transitive answers differ: v1 and v2 are mutually incompatible
// (registered while the subject's level is NONE), v3 is compatible with v2 in both directions
// but not with v1. So under BACKWARD, FORWARD and FULL v3 registers, under their _TRANSITIVE
// variants it is refused with 409 and the reasons name version 1, and under NONE anything goes.
import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { registrySettings, type RunningRegistry, startRegistry } from "../../../../registry/index.ts";

const log = pino({ level: "silent" });
let registry: RunningRegistry;

async function call(method: string, path: string, body?: unknown): Promise<{ status: number; body: unknown; text: string }> {
  const res = await fetch(`${registry.url}${path}`, {
    method,
    headers: body === undefined ? {} : { "content-type": "application/vnd.schemaregistry.v1+json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: text === "" ? null : (JSON.parse(text) as unknown), text };
}

interface History {
  schemaType: "AVRO" | "JSON" | "PROTOBUF";
  v1: string;
  v2: string;
  v3: string;
}

const avroRecord = (fields: object[]): string => JSON.stringify({ type: "record", name: "Level", namespace: "hub.levels", fields });
const jsonObject = (a: object, extra: object = {}): string =>
  JSON.stringify({ type: "object", properties: { a }, required: ["a"], additionalProperties: false, ...extra });
const proto = (body: string): string => `syntax = "proto3";\npackage hub.levels;\n\nmessage Level {\n${body}\n}\n`;

const HISTORIES: History[] = [
  {
    schemaType: "AVRO",
    v1: avroRecord([{ name: "a", type: "string" }]),
    v2: avroRecord([{ name: "a", type: "int" }]),
    // A field with a default: readable both ways with v2; `a` still cannot be read as (or from) a string.
    v3: avroRecord([{ name: "a", type: "int" }, { name: "c", type: "string", default: "" }]),
  },
  {
    schemaType: "JSON",
    v1: jsonObject({ type: "string" }),
    v2: jsonObject({ type: "integer" }),
    // Only documentation changes: the same documents are valid.
    v3: jsonObject({ type: "integer" }, { description: "the level" }),
  },
  {
    schemaType: "PROTOBUF",
    v1: proto("  string a = 1;"),
    v2: proto("  int32 a = 1;"),
    // A new field: compatible both ways with v2; field 1 changes its scalar kind against v1.
    v3: proto("  int32 a = 1;\n  string c = 2;"),
  },
];

const LEVELS = ["NONE", "BACKWARD", "BACKWARD_TRANSITIVE", "FORWARD", "FORWARD_TRANSITIVE", "FULL", "FULL_TRANSITIVE"] as const;

beforeAll(async () => {
  registry = await startRegistry(registrySettings(new Map([["listeners", "http://127.0.0.1:0"]])), log);
});

afterAll(async () => {
  await registry.stop();
});

describe.each(HISTORIES)("$schemaType", (history) => {
  it.each(LEVELS)("%s", async (level) => {
    const subject = `levels-${history.schemaType}-${level}`;
    const schema = (text: string): object => ({ schemaType: history.schemaType, schema: text });
    expect((await call("PUT", `/config/${subject}`, { compatibility: "NONE" })).status).toBe(200);
    for (const v of [history.v1, history.v2]) {
      const registered = await call("POST", `/subjects/${subject}/versions`, schema(v));
      expect(registered.status, registered.text).toBe(200);
    }
    expect((await call("PUT", `/config/${subject}`, { compatibility: level })).status).toBe(200);

    const transitive = level.endsWith("_TRANSITIVE");
    // Against the latest version only: v3 is compatible with v2 at every level.
    const latest = await call("POST", `/compatibility/subjects/${subject}/versions/latest?verbose=true`, schema(history.v3));
    expect(latest.status, latest.text).toBe(200);
    expect(latest.body).toEqual({ is_compatible: true, messages: [] });
    // Against the versions the level names (all of them when transitive).
    const checked = await call("POST", `/compatibility/subjects/${subject}/versions?verbose=true`, schema(history.v3));
    expect(checked.status, checked.text).toBe(200);
    const answer = checked.body as { is_compatible: boolean; messages: string[] };
    expect(answer.is_compatible).toBe(!transitive);
    if (transitive) {
      expect(answer.messages.length).toBeGreaterThan(1);
      expect(answer.messages.join("\n")).toContain("{oldSchemaVersion: 1}");
      expect(answer.messages.join("\n")).toContain(`compatibility: '${level}'`);
    }
    // Registration follows the same answer.
    const registered = await call("POST", `/subjects/${subject}/versions`, schema(history.v3));
    if (transitive) {
      expect(registered.status, registered.text).toBe(409);
      expect((registered.body as { error_code: number }).error_code).toBe(409);
      expect((await call("GET", `/subjects/${subject}/versions`)).body).toEqual([1, 2]);
    } else {
      expect(registered.status, registered.text).toBe(200);
      expect((await call("GET", `/subjects/${subject}/versions`)).body).toEqual([1, 2, 3]);
    }
  });

  it("refuses v2 after v1 under every level but NONE (the pair really is incompatible)", async () => {
    for (const level of LEVELS.filter((l) => l !== "NONE")) {
      const subject = `levels-pair-${history.schemaType}-${level}`;
      expect((await call("PUT", `/config/${subject}`, { compatibility: level })).status).toBe(200);
      expect((await call("POST", `/subjects/${subject}/versions`, { schemaType: history.schemaType, schema: history.v1 })).status).toBe(200);
      const refused = await call("POST", `/subjects/${subject}/versions`, { schemaType: history.schemaType, schema: history.v2 });
      expect(refused.status, `${level}: ${refused.text}`).toBe(409);
    }
  });
});
