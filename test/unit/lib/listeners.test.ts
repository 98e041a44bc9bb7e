import { describe, expect, it } from "vitest";
import { firstListener, parseListeners } from "../../../lib/listeners.ts";

describe("parseListeners", () => {
  it("reads Kafka listener lists, with empty and IPv6 hosts", () => {
    expect(parseListeners("PLAINTEXT://127.0.0.1:9092, CONTROLLER://:9093,http://[::1]:8083")).toEqual([
      { scheme: "PLAINTEXT", host: "127.0.0.1", port: 9092 },
      { scheme: "CONTROLLER", host: "0.0.0.0", port: 9093 },
      { scheme: "http", host: "::1", port: 8083 },
    ]);
  });

  it("names the key and the bad entry", () => {
    expect(() => parseListeners("localhost:9092")).toThrow("listeners: 'localhost:9092' is not of the form NAME://host:port");
    expect(() => firstListener("http://h:70000", "rest")).toThrow("rest: port 70000 in 'http://h:70000' is out of range");
    expect(() => firstListener(" , ")).toThrow("listeners is empty");
  });
});
