import { describe, expect, it } from "vitest";
import { encodeMessageIndexes, frame, readMessageIndexes, SerializationException, unframe } from "../../../../registry/serde/wire-format.ts";

describe("Confluent wire format", () => {
  it("frames a payload as magic byte 0, a big-endian schema id, then the payload", () => {
    const bytes = frame(0x01020304, Buffer.from("hi"));
    expect(bytes.toString("hex")).toBe("0001020304" + Buffer.from("hi").toString("hex"));
    expect(unframe(bytes)).toEqual({ schemaId: 0x01020304, messageIndexes: null, payload: Buffer.from("hi") });
  });

  it("reads an empty payload and the largest id", () => {
    const bytes = frame(2 ** 31 - 1, Buffer.alloc(0));
    expect(bytes.toString("hex")).toBe("007fffffff");
    const read = unframe(bytes);
    expect(read.schemaId).toBe(2 ** 31 - 1);
    expect(read.payload.length).toBe(0);
  });

  it("refuses bytes without the magic byte, with Confluent's message", () => {
    expect(() => unframe(Buffer.from([1, 0, 0, 0, 1, 9]))).toThrow(new SerializationException("Unknown magic byte!"));
    expect(() => unframe(Buffer.alloc(0))).toThrow("Unknown magic byte!");
    expect(() => unframe(Buffer.from('{"json":true}'))).toThrow(SerializationException);
  });

  it("refuses a header cut short", () => {
    expect(() => unframe(Buffer.from([0, 0, 0]))).toThrow("Invalid message: 3 bytes, shorter than the 5-byte header (magic byte and schema id)");
  });

  it("refuses ids that are not 32-bit integers", () => {
    expect(() => frame(2 ** 31, Buffer.alloc(0))).toThrow(SerializationException);
    expect(() => frame(1.5, Buffer.alloc(0))).toThrow("Invalid schema id 1.5: not a 32-bit integer");
  });
});

describe("Protobuf message indexes", () => {
  it("writes the first message, [0], as the single byte 0", () => {
    expect(encodeMessageIndexes([0]).toString("hex")).toBe("00");
    const bytes = frame(7, Buffer.from([0x08, 0x01]), [0]);
    expect(bytes.toString("hex")).toBe("0000000007" + "00" + "0801");
    expect(unframe(bytes, { messageIndexes: true })).toEqual({ schemaId: 7, messageIndexes: [0], payload: Buffer.from([0x08, 0x01]) });
  });

  it("writes the count then each index as zigzag varints", () => {
    // [1]: count 1 -> 0x02, index 1 -> 0x02. [0, 2]: 0x04, 0x00, 0x04. 64 -> zigzag 128 -> 0x80 0x01.
    expect(encodeMessageIndexes([1]).toString("hex")).toBe("0202");
    expect(encodeMessageIndexes([0, 2]).toString("hex")).toBe("040004");
    expect(encodeMessageIndexes([64]).toString("hex")).toBe("028001");
    for (const indexes of [[1], [0, 2], [3, 0, 5], [64], [1000, 70000]]) {
      const bytes = frame(1, Buffer.from("p"), indexes);
      expect(unframe(bytes, { messageIndexes: true })).toEqual({ schemaId: 1, messageIndexes: indexes, payload: Buffer.from("p") });
    }
  });

  it("reads a count of 0 as [0], and an explicit [0] too", () => {
    expect(readMessageIndexes(Buffer.from([0]), 0)).toEqual({ indexes: [0], next: 1 });
    expect(readMessageIndexes(Buffer.from([2, 0, 9]), 0)).toEqual({ indexes: [0], next: 2 });
  });

  it("refuses garbage counts and cut varints with clear errors", () => {
    expect(() => readMessageIndexes(Buffer.from([0x7e]), 0)).toThrow("Invalid message indexes: a count of 63 with 0 bytes left");
    expect(() => readMessageIndexes(Buffer.from([0x01, 0]), 0)).toThrow("Invalid message indexes: a count of -1 with 1 bytes left");
    expect(() => readMessageIndexes(Buffer.from([0x80]), 0)).toThrow("the bytes end inside a varint");
    expect(() => readMessageIndexes(Buffer.from([0xff, 0xff, 0xff, 0xff, 0x7f]), 0)).toThrow("a varint is too long");
    expect(() => readMessageIndexes(Buffer.from([0x02, 0x01]), 0)).toThrow("Invalid message index -1");
    expect(() => encodeMessageIndexes([-1, 2])).toThrow("Invalid message index -1");
  });
});
