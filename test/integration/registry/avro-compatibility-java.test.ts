// The registry's Avro format against Apache Avro's own Java implementation (provisioned by
// test/services/up avro-java): a small program (avro-java/AvroOracle.java, compiled here into a
// temporary directory) runs Java's SchemaCompatibility, Schema.Parser and Schema.toString on the
// corpora of test/unit/registry/formats/avro/, and the hub's answers must be Java's:
//   - Avro 1.11 (the Avro inside Confluent's Schema Registry): the same incompatibilities, of the
//     same types, at the same locations, with the same messages; the same canonical texts; the
//     same refusals with the same messages;
//   - Debian's libavro-java (Avro 1.8.2): the same compatible/incompatible answers (it reports
//     nothing more), except on the pairs the corpus marks, where Avro changed after 1.8.
import { execFile } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { avroFormat, type AvroParsedSchema } from "../../../registry/formats/avro/index.ts";
import { checkReaderWriter } from "../../../registry/formats/avro/compatibility.ts";
import { InvalidSchemaError } from "../../../registry/formats/types.ts";
import { avroJavaClasspath, requireService } from "../../services/index.ts";
import { CANONICAL_CASES } from "../../unit/registry/formats/avro/canonical-corpus.ts";
import { COMPATIBILITY_CASES, THROWING_CASE, type SchemaJson } from "../../unit/registry/formats/avro/compatibility-corpus.ts";
import { INVALID_CASES } from "../../unit/registry/formats/avro/invalid-corpus.ts";

const run = promisify(execFile);
const ORACLE_SOURCE = join(import.meta.dirname, "avro-java", "AvroOracle.java");

const b64 = (s: string): string => Buffer.from(s, "utf8").toString("base64");
const unb64 = (s: string): string => Buffer.from(s, "base64").toString("utf8");

function parse(text: string, references: readonly string[] = []): AvroParsedSchema {
  return avroFormat.parse(text, [], new Map(references.map((r, i) => [`ref${i}`, r] as const)));
}

/** The hub's findings, written as the oracle writes Java's. */
function hubFindings(reader: SchemaJson, writer: SchemaJson): string[] {
  return checkReaderWriter(parse(JSON.stringify(reader)).model, parse(JSON.stringify(writer)).model).map(
    (i) => `${i.type} ${i.location} ${i.message}`,
  );
}

type CompatAnswer = { kind: "compatible" | "incompatible"; findings: string[] } | { kind: "error"; error: string };

let workDir = "";
const classpaths = { avro18: "", avro111: "" };

/** Runs the oracle compiled for one Avro over input lines; one output line per input line. */
async function oracle(avro: keyof typeof classpaths, mode: "compat" | "print", lines: readonly string[]): Promise<string[]> {
  const input = join(workDir, `${avro}-${mode}-${Date.now()}.txt`);
  await writeFile(input, lines.join("\n") + "\n");
  const { stdout } = await run("java", ["-cp", `${classpaths[avro]}:${join(workDir, avro)}`, "AvroOracle", mode, input], {
    timeout: 60_000,
    maxBuffer: 64 * 1024 * 1024,
  });
  const out = stdout.trimEnd().split("\n");
  expect(out).toHaveLength(lines.length);
  return out;
}

function compatAnswer(line: string): CompatAnswer {
  const [head = "", ...rest] = line.split("\t");
  if (head === "ERROR") return { kind: "error", error: unb64(rest[0] ?? "") };
  const findings = rest.map((item) => {
    const [type, location, message = ""] = item.split(" ");
    return `${type} ${location} ${unb64(message)}`;
  });
  return { kind: head === "COMPATIBLE" ? "compatible" : "incompatible", findings };
}

/** Java's exception message, without the exception's class name that `toString()` puts first. */
function javaMessage(error: string): string {
  return error.replace(/^[\w.$]+(Exception|Error): /, "");
}

const pairs = [...COMPATIBILITY_CASES.map((c) => [c.reader, c.writer] as const), [THROWING_CASE.reader, THROWING_CASE.writer] as const];
const pairLines = pairs.map(([reader, writer]) => `${b64(JSON.stringify(reader))} ${b64(JSON.stringify(writer))}`);
const answers: { avro18: CompatAnswer[]; avro111: CompatAnswer[] } = { avro18: [], avro111: [] };

beforeAll(async () => {
  classpaths.avro18 = await requireService("avro-java");
  classpaths.avro111 = avroJavaClasspath();
  workDir = await mkdtemp(join(tmpdir(), "hub-avro-java-"));
  for (const avro of ["avro18", "avro111"] as const) {
    await run("javac", ["-nowarn", "-d", join(workDir, avro), "-cp", classpaths[avro], ORACLE_SOURCE], { timeout: 120_000 });
  }
  [answers.avro18, answers.avro111] = await Promise.all([
    oracle("avro18", "compat", pairLines).then((out) => out.map(compatAnswer)),
    oracle("avro111", "compat", pairLines).then((out) => out.map(compatAnswer)),
  ]);
});

afterAll(async () => {
  if (workDir !== "") await rm(workDir, { recursive: true, force: true });
});

describe("compatibility, against Java Avro 1.11 (Confluent's)", () => {
  it(`checks ${COMPATIBILITY_CASES.length} pairs covering every resolution rule`, () => {
    expect(COMPATIBILITY_CASES.length).toBeGreaterThanOrEqual(40);
    expect(new Set(COMPATIBILITY_CASES.map((c) => c.rule)).size).toBeGreaterThanOrEqual(10);
  });

  COMPATIBILITY_CASES.forEach((c, i) => {
    it(`${c.rule}: ${c.name}`, () => {
      const java = answers.avro111[i];
      expect(java?.kind).not.toBe("error");
      const javaFindings = java?.kind === "error" ? [] : (java?.findings ?? []);
      expect(java?.kind).toBe(javaFindings.length === 0 ? "compatible" : "incompatible");
      expect(hubFindings(c.reader, c.writer)).toEqual(javaFindings);
      // The corpus the unit test uses says what Java says.
      expect(c.expected).toEqual(javaFindings);
    });
  });

  it("where Java's check throws, the hub reports the same message as Confluent does", () => {
    const java = answers.avro111[COMPATIBILITY_CASES.length];
    expect(java?.kind).toBe("error");
    const message = java?.kind === "error" ? javaMessage(java.error) : "";
    expect(message).toBe(THROWING_CASE.message);
    const hub = avroFormat.incompatibilities(parse(JSON.stringify(THROWING_CASE.reader)), parse(JSON.stringify(THROWING_CASE.writer)));
    expect(hub).toEqual([`Unexpected exception during compatibility check: ${message}`]);
  });
});

describe("compatibility, against Debian's libavro-java (Avro 1.8.2)", () => {
  COMPATIBILITY_CASES.forEach((c, i) => {
    it(`${c.rule}: ${c.name}`, () => {
      const java = answers.avro18[i];
      const hubCompatible = hubFindings(c.reader, c.writer).length === 0;
      expect(java?.kind).not.toBe("error");
      const javaCompatible = java?.kind === "compatible";
      if (c.avro18 === undefined) {
        expect(hubCompatible).toBe(javaCompatible);
      } else {
        // A documented difference of the old Avro (c.avro18.why): it answers as the corpus says,
        // and the hub answers as Avro 1.11 does.
        expect(javaCompatible).toBe(c.avro18.compatible);
        expect(hubCompatible).toBe(!c.avro18.compatible);
        expect(hubCompatible).toBe(answers.avro111[i]?.kind === "compatible");
      }
    });
  });

  it("throws on the same pair", () => {
    expect(answers.avro18[COMPATIBILITY_CASES.length]?.kind).toBe("error");
  });
});

describe("parsing, against Java Avro 1.11", () => {
  it("prints every canonical text as Java does (bar the documented difference)", async () => {
    const lines = CANONICAL_CASES.map((c) => [...(c.references ?? []), c.schema].map(b64).join(" "));
    const out = await oracle("avro111", "print", lines);
    CANONICAL_CASES.forEach((c, i) => {
      const [status = "", text = ""] = (out[i] ?? "").split("\t");
      expect(status, c.name).toBe("OK");
      const java = unb64(text);
      expect(java, c.name).toBe(c.java);
      expect(parse(c.schema, c.references ?? []).canonicalString, c.name).toBe(c.hub ?? java);
    });
  });

  it("refuses what Java refuses, with Java's message", async () => {
    const out = await oracle(
      "avro111",
      "print",
      INVALID_CASES.map((c) => b64(c.text)),
    );
    INVALID_CASES.forEach((c, i) => {
      const [status = "", error = ""] = (out[i] ?? "").split("\t");
      expect(status, c.what).toBe("ERROR");
      let hubMessage = "";
      try {
        parse(c.text);
      } catch (e) {
        expect(e, c.what).toBeInstanceOf(InvalidSchemaError);
        hubMessage = (e as Error).message;
      }
      if (c.syntax) {
        expect(hubMessage, c.what).not.toBe("");
      } else {
        expect(javaMessage(unb64(error)), c.what).toBe(c.message);
        expect(hubMessage, c.what).toBe(c.message);
      }
    });
  });
});
