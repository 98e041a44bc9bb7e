import { describe, expect, it } from "vitest";
import { FrameReader, FrameTooLargeError } from "../../../../lib/kafka-client/frame-reader.ts";

const frame = (body: string): Buffer => {
  const b = Buffer.from(body);
  const size = Buffer.alloc(4);
  size.writeInt32BE(b.length);
  return Buffer.concat([size, b]);
};

describe("FrameReader", () => {
  it("splits a stream into frames however the chunks fall", () => {
    const stream = Buffer.concat([frame("first"), frame(""), frame("the third frame"), frame("x".repeat(300))]);
    for (let step = 1; step <= stream.length; step++) {
      const reader = new FrameReader(1024);
      const got: string[] = [];
      for (let i = 0; i < stream.length; i += step) reader.push(stream.subarray(i, i + step), (f) => got.push(f.toString()));
      expect(got, `chunks of ${step}`).toEqual(["first", "", "the third frame", "x".repeat(300)]);
      expect(reader.pendingBytes).toBe(0);
    }
  });

  it("hands out a frame that arrived in one chunk as a view of it, without copying", () => {
    const chunk = Buffer.concat([frame("abc"), frame("def")]);
    const frames: Buffer[] = [];
    new FrameReader(1024).push(chunk, (f) => frames.push(f));
    expect(frames.map((f) => f.buffer === chunk.buffer)).toEqual([true, true]);
  });

  it("keeps an incomplete frame until the rest arrives", () => {
    const reader = new FrameReader(1024);
    const got: string[] = [];
    const whole = frame("hello");
    reader.push(whole.subarray(0, 6), (f) => got.push(f.toString()));
    expect(got).toEqual([]);
    expect(reader.pendingBytes).toBe(2);
    reader.push(whole.subarray(6), (f) => got.push(f.toString()));
    expect(got).toEqual(["hello"]);
  });

  it("refuses a size prefix that is negative or above the limit", () => {
    const big = Buffer.alloc(4);
    big.writeInt32BE(2048);
    expect(() => new FrameReader(1024).push(big, () => undefined)).toThrow(FrameTooLargeError);
    const negative = Buffer.alloc(4);
    negative.writeInt32BE(-1);
    expect(() => new FrameReader(1024).push(negative, () => undefined)).toThrow(/outside 0\.\.1024/);
  });
});
