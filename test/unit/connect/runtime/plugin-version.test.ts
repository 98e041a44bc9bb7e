import { describe, expect, it } from "vitest";
import { compareVersions, InvalidVersionSpecError, pluginVersionProblem, versionMatches, versionRequirement } from "../../../../connect/runtime/plugins/plugin-version.ts";

describe("plugin version requirements (KIP-891)", () => {
  it("orders versions as Maven does in the common cases", () => {
    expect(compareVersions("1.0", "1")).toBe(0);
    expect(compareVersions("1.0.0", "1.0.1")).toBe(-1);
    expect(compareVersions("1.10", "1.9")).toBe(1);
    expect(compareVersions("4.3.1", "4.3.1")).toBe(0);
    expect(compareVersions("1.0-SNAPSHOT", "1.0")).toBe(-1);
    expect(compareVersions("1.0-alpha", "1.0-beta")).toBe(-1);
    expect(compareVersions("1.0-rc1", "1.0")).toBe(-1);
    expect(compareVersions("1.0.Final", "1.0")).toBe(0);
  });

  it("reads no requirement from unset or latest, an exact one from a plain version, ranges as written", () => {
    expect(versionRequirement(undefined)).toBeNull();
    expect(versionRequirement(null)).toBeNull();
    expect(versionRequirement("latest")).toBeNull();
    expect(versionRequirement("1.0")?.text).toBe("[1.0,1.0]");
    expect(versionRequirement(" 2.1 ")?.text).toBe("[2.1,2.1]");
    expect(versionRequirement("[1.0,2.0)")?.text).toBe("[1.0,2.0)");
    expect(versionRequirement("[0.0.1,)")?.text).toBe("[0.0.1,)");
    expect(versionRequirement("(,1.0],[1.2,)")?.text).toBe("(,1.0],[1.2,)");
    expect(versionRequirement("[1.5]")?.text).toBe("[1.5,1.5]");
    // Maven takes anything else as a version string.
    expect(versionRequirement("garbage((")?.text).toBe("[garbage((,garbage((]");
  });

  it("matches versions against ranges, bounds inclusive or not", () => {
    const match = (spec: string, version: string): boolean => versionMatches(versionRequirement(spec), version);
    expect(versionMatches(null, "0.1.0")).toBe(true);
    expect(match("0.1.0", "0.1.0")).toBe(true);
    expect(match("0.1", "0.1.0")).toBe(true);
    expect(match("0.1.1", "0.1.0")).toBe(false);
    expect(match("[0.1.0,1.0)", "0.1.0")).toBe(true);
    expect(match("(0.1.0,1.0)", "0.1.0")).toBe(false);
    expect(match("[0.0.1,0.1.0]", "0.1.0")).toBe(true);
    expect(match("[0.0.1,0.1.0)", "0.1.0")).toBe(false);
    expect(match("(,1.0],[3.0,)", "4.3.1")).toBe(true);
    expect(match("(,1.0],[3.0,)", "2.0")).toBe(false);
    // What Kafka Connect 4.3.1 answered for its own version.
    expect(match("[1.0,1.0]", "4.3.1")).toBe(false);
    expect(match("[,1.0]", "4.3.1")).toBe(false);
    expect(match("[4.3.1]", "4.3.1")).toBe(true);
    expect(match("4.3", "4.3.1")).toBe(false);
    expect(match("4.3.1.0", "4.3.1")).toBe(true);
    expect(match("[4.3.1-SNAPSHOT,4.3.1)", "4.3.1")).toBe(false);
    expect(match("", "4.3.1")).toBe(false);
    expect(versionRequirement("")?.text).toBe("[,]");
  });

  it("refuses malformed specs with Maven's messages", () => {
    const problem = (spec: string): string => {
      try {
        versionRequirement(spec);
      } catch (e) {
        expect(e).toBeInstanceOf(InvalidVersionSpecError);
        return (e as Error).message;
      }
      throw new Error(`${spec} was accepted`);
    };
    expect(problem("[1.0")).toBe("Unbounded range: [1.0");
    expect(problem("(1.0)")).toBe("Single version must be surrounded by []: (1.0)");
    expect(problem("[2.0,1.0]")).toBe("Range defies version ordering: [2.0,1.0]");
    expect(problem("[5.0,6.0),[4.0,4.5]")).toBe("Ranges overlap: [5.0,6.0),[4.0,4.5]");
    expect(problem("[1.0,3.0],[2.0,4.0]")).toBe("Ranges overlap: [1.0,3.0],[2.0,4.0]");
    expect(problem("[1.0,2.0],3.0")).toBe("Only fully-qualified sets allowed in multiple set scenario: [1.0,2.0],3.0");
  });

  it("words a plugin's unmet requirement as Kafka's VersionedPluginLoadingException", () => {
    const cls = "org.apache.kafka.connect.transforms.RegexRouter";
    expect(pluginVersionProblem(cls, undefined, "0.1.0")).toBeNull();
    expect(pluginVersionProblem(cls, "latest", "0.1.0")).toBeNull();
    expect(pluginVersionProblem(cls, "0.1.0", "0.1.0")).toBeNull();
    expect(pluginVersionProblem(cls, "9.9", "0.1.0")).toBe(`Plugin ${cls} not found that matches the version range [9.9,9.9], available versions: [0.1.0]`);
    expect(pluginVersionProblem(cls, "[1.0,2.0)", "0.1.0")).toBe(`Plugin ${cls} not found that matches the version range [1.0,2.0), available versions: [0.1.0]`);
    expect(pluginVersionProblem(cls, "[1.0", "0.1.0")).toBe("Unbounded range: [1.0");
  });
});
