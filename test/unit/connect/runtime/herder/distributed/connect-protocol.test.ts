// The connect group protocol's binary layout. The hex strings are what Apache Kafka Connect
// 4.3.1's ConnectProtocol / IncrementalCooperativeConnectProtocol wrote for the same content
// (captured with test/interop/connect-distributed/ConnectFormatsHarness.java, which the interop
// test runs over many more cases).
import { describe, expect, it } from "vitest";
import {
  decodeAssignment,
  decodeWorkerMetadata,
  encodeAssignment,
  encodeWorkerMetadata,
  joinGroupProtocols,
} from "../../../../../../connect/runtime/herder/distributed/connect-protocol.ts";

const hex = (b: Buffer): string => b.toString("hex");

describe("connect protocol", () => {
  it("writes version 0 metadata as Kafka: version, url, config offset", () => {
    expect(hex(encodeWorkerMetadata(0, { url: "http://a:8083/", configOffset: 7, allocation: null }))).toBe("0000000e687474703a2f2f613a383038332f0000000000000007");
  });

  it("writes a null allocation as -1 bytes (a worker that owns nothing yet)", () => {
    const bytes = encodeWorkerMetadata(1, { url: "http://a:8083/", configOffset: 7, allocation: null });
    expect(hex(bytes)).toBe("0001000e687474703a2f2f613a383038332f0000000000000007ffffffff");
    expect(decodeWorkerMetadata(bytes)).toEqual({ version: 1, url: "http://a:8083/", configOffset: 7, allocation: null });
  });

  it("embeds the allocation as a version-prefixed assignment in sessioned metadata", () => {
    const allocation = {
      version: 2,
      error: 0,
      leader: "L",
      leaderUrl: "LU",
      configOffset: 7,
      connectors: ["c"],
      tasks: [{ connector: "c", task: 0 }],
      revokedConnectors: [],
      revokedTasks: [],
      delay: 0,
    };
    const bytes = encodeWorkerMetadata(2, { url: "u", configOffset: 7, allocation });
    expect(hex(bytes)).toBe("000200017500000000000000070000002e0002000000014c00024c5500000000000000070000000100016300000002ffffffff000000000000000000000000");
    expect(decodeWorkerMetadata(bytes).allocation).toEqual(allocation);
  });

  it("writes an incremental assignment with revocations and a delay", () => {
    const a = {
      version: 1,
      error: 0,
      leader: "L",
      leaderUrl: "LU",
      configOffset: 7,
      connectors: ["c"],
      tasks: [
        { connector: "c", task: 0 },
        { connector: "c", task: 1 },
      ],
      revokedConnectors: ["d"],
      revokedTasks: [],
      delay: 5,
    };
    const bytes = encodeAssignment(a);
    expect(hex(bytes)).toBe("0001000000014c00024c5500000000000000070000000100016300000003ffffffff00000000000000010000000100016400000001ffffffff00000005");
    expect(decodeAssignment(bytes)).toEqual(a);
  });

  it("reads a version 1 assignment without its trailing fields (Kafka tolerates their absence)", () => {
    const full = encodeAssignment({ version: 1, error: 0, leader: "L", leaderUrl: "U", configOffset: 3, connectors: [], tasks: [], revokedConnectors: [], revokedTasks: [], delay: 0 });
    const truncated = full.subarray(0, 2 + 2 + 3 + 3 + 8);
    expect(decodeAssignment(truncated)).toMatchObject({ version: 1, leader: "L", configOffset: 3, connectors: [], revokedConnectors: [], delay: 0 });
    expect(() => decodeAssignment(full.subarray(0, 6))).toThrow(/truncated/);
  });

  it("offers sub-protocols in Kafka's order of preference for each connect.protocol", () => {
    const state = { url: "u", configOffset: 0, allocation: null };
    expect(joinGroupProtocols("sessioned", state).map((p) => [p.name, p.metadata.readInt16BE(0)])).toEqual([
      ["sessioned", 2],
      ["compatible", 1],
      ["default", 0],
    ]);
    expect(joinGroupProtocols("compatible", state).map((p) => p.name)).toEqual(["compatible", "default"]);
    expect(joinGroupProtocols("eager", state).map((p) => p.name)).toEqual(["default"]);
  });
});
