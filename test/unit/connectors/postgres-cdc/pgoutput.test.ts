// The pgoutput parser on hand-built messages: every layout field in place, and malformed input
// (truncation, unknown tags, bad markers, trailing bytes) failing with errors that say what broke.
import { describe, expect, it } from "vitest";
import {
  PgoutputDecoder,
  PgoutputFormatError,
  UNCHANGED_TOAST,
  formatLsn,
  parseLsn,
  parseMessage,
  postgresTimestampToDate,
} from "../../../../connectors/postgres-cdc/pgoutput/index.ts";

/** Builds a message the way the protocol lays it out: big-endian integers, NUL-terminated strings. */
class Bytes {
  readonly parts: number[] = [];
  char(c: string): this {
    this.parts.push(c.charCodeAt(0));
    return this;
  }
  int8(n: number): this {
    this.parts.push(n & 0xff);
    return this;
  }
  int16(n: number): this {
    const b = Buffer.alloc(2);
    b.writeInt16BE(n);
    this.parts.push(...b);
    return this;
  }
  int32(n: number): this {
    const b = Buffer.alloc(4);
    b.writeInt32BE(n);
    this.parts.push(...b);
    return this;
  }
  uint32(n: number): this {
    const b = Buffer.alloc(4);
    b.writeUInt32BE(n);
    this.parts.push(...b);
    return this;
  }
  int64(n: bigint): this {
    const b = Buffer.alloc(8);
    b.writeBigInt64BE(n);
    this.parts.push(...b);
    return this;
  }
  uint64(n: bigint): this {
    const b = Buffer.alloc(8);
    b.writeBigUInt64BE(n);
    this.parts.push(...b);
    return this;
  }
  string(s: string): this {
    this.parts.push(...Buffer.from(s), 0);
    return this;
  }
  raw(bytes: Iterable<number>): this {
    this.parts.push(...bytes);
    return this;
  }
  text(s: string): this {
    const b = Buffer.from(s);
    return this.char("t").int32(b.length).raw(b);
  }
  build(): Uint8Array {
    return Uint8Array.from(this.parts);
  }
}

const relationBytes = (id: number, identity = "d"): Bytes =>
  new Bytes()
    .char("R").uint32(id).string("public").string("people").char(identity).int16(2)
    .int8(1).string("id").uint32(23).int32(-1)
    .int8(0).string("name").uint32(25).int32(-1);

describe("LSN helpers", () => {
  it("formats and parses Postgres' X/Y form over the full 64-bit range", () => {
    expect(formatLsn(0n)).toBe("0/0");
    expect(formatLsn(0x16_b374d848n)).toBe("16/B374D848");
    expect(formatLsn(0xffff_ffff_ffff_ffffn)).toBe("FFFFFFFF/FFFFFFFF");
    expect(parseLsn("16/b374d848")).toBe(0x16_b374d848n);
    expect(parseLsn("FFFFFFFF/FFFFFFFF")).toBe(0xffff_ffff_ffff_ffffn);
    expect(() => parseLsn("16B374D848")).toThrow(/not a PostgreSQL LSN/);
    expect(() => parseLsn("1/123456789")).toThrow(/not a PostgreSQL LSN/);
    expect(() => formatLsn(-1n)).toThrow(RangeError);
  });

  it("converts Postgres-epoch microseconds to a Date", () => {
    expect(postgresTimestampToDate(0n).toISOString()).toBe("2000-01-01T00:00:00.000Z");
    expect(postgresTimestampToDate(-1_000_000n).toISOString()).toBe("1999-12-31T23:59:59.000Z");
  });
});

describe("parseMessage", () => {
  it("reads Begin and Commit with unsigned LSNs above 2^63", () => {
    const lsn = 0x8000_0000_0000_0010n;
    expect(parseMessage(new Bytes().char("B").uint64(lsn).int64(123n).uint32(0xfffffff0).build())).toEqual({
      tag: "begin", finalLsn: lsn, commitTime: 123n, xid: 0xfffffff0,
    });
    expect(parseMessage(new Bytes().char("C").int8(0).uint64(lsn).uint64(lsn + 8n).int64(-5n).build())).toEqual({
      tag: "commit", flags: 0, commitLsn: lsn, endLsn: lsn + 8n, commitTime: -5n,
    });
  });

  it("reads Origin, Type and Relation", () => {
    expect(parseMessage(new Bytes().char("O").uint64(7n).string("node_a").build())).toEqual({ tag: "origin", originLsn: 7n, name: "node_a" });
    expect(parseMessage(new Bytes().char("Y").uint32(16400).string("public").string("mood").build())).toEqual({
      tag: "type", typeOid: 16400, namespace: "public", name: "mood",
    });
    expect(parseMessage(relationBytes(3_000_000_000).build())).toEqual({
      tag: "relation", relationId: 3_000_000_000, namespace: "public", name: "people", replicaIdentity: "d",
      columns: [
        { flags: 1, isKey: true, name: "id", typeOid: 23, typeModifier: -1 },
        { flags: 0, isKey: false, name: "name", typeOid: 25, typeModifier: -1 },
      ],
    });
  });

  it("reads the xid that prefixes changes inside a streamed transaction only when told so", () => {
    const streamed = new Bytes().char("I").uint32(999).uint32(5).char("N").int16(1).char("n").build();
    expect(parseMessage(streamed, { inStream: true })).toEqual({ tag: "insert", xid: 999, relationId: 5, newTuple: [{ kind: "null" }] });
    // Read as a non-streamed message, the xid is taken for the relation id and the layout breaks.
    expect(() => parseMessage(streamed)).toThrow(PgoutputFormatError);
  });

  it("reads all four TupleData column kinds", () => {
    const insert = new Bytes().char("I").uint32(5).char("N").int16(4)
      .char("n").char("u").text("héllo").char("b").int32(2).raw([0xde, 0xad]).build();
    expect(parseMessage(insert)).toEqual({
      tag: "insert", relationId: 5,
      newTuple: [{ kind: "null" }, { kind: "unchanged-toast" }, { kind: "text", value: "héllo" }, { kind: "binary", value: new Uint8Array([0xde, 0xad]) }],
    });
  });

  it("reads Update with and without an old tuple, Delete, Truncate and Message", () => {
    expect(parseMessage(new Bytes().char("U").uint32(5).char("N").int16(1).text("x").build())).toEqual({
      tag: "update", relationId: 5, newTuple: [{ kind: "text", value: "x" }],
    });
    expect(parseMessage(new Bytes().char("U").uint32(5).char("O").int16(1).text("a").char("N").int16(1).text("b").build())).toEqual({
      tag: "update", relationId: 5, oldKind: "O", oldTuple: [{ kind: "text", value: "a" }], newTuple: [{ kind: "text", value: "b" }],
    });
    expect(parseMessage(new Bytes().char("D").uint32(5).char("K").int16(1).text("a").build())).toEqual({
      tag: "delete", relationId: 5, oldKind: "K", oldTuple: [{ kind: "text", value: "a" }],
    });
    expect(parseMessage(new Bytes().char("T").int32(2).int8(3).uint32(5).uint32(6).build())).toEqual({
      tag: "truncate", cascade: true, restartIdentity: true, relationIds: [5, 6],
    });
    expect(parseMessage(new Bytes().char("M").int8(1).uint64(42n).string("app").int32(3).raw([1, 2, 3]).build())).toEqual({
      tag: "message", transactional: true, lsn: 42n, prefix: "app", content: new Uint8Array([1, 2, 3]),
    });
  });

  it("reads the streaming messages, with and without protocol 4's abort position", () => {
    expect(parseMessage(new Bytes().char("S").uint32(9).int8(1).build())).toEqual({ tag: "stream-start", xid: 9, firstSegment: true });
    expect(parseMessage(new Bytes().char("E").build())).toEqual({ tag: "stream-stop" });
    expect(parseMessage(new Bytes().char("c").uint32(9).int8(0).uint64(1n).uint64(2n).int64(3n).build())).toEqual({
      tag: "stream-commit", xid: 9, flags: 0, commitLsn: 1n, endLsn: 2n, commitTime: 3n,
    });
    expect(parseMessage(new Bytes().char("A").uint32(9).uint32(10).build())).toEqual({ tag: "stream-abort", xid: 9, subXid: 10 });
    expect(parseMessage(new Bytes().char("A").uint32(9).uint32(10).uint64(4n).int64(5n).build())).toEqual({
      tag: "stream-abort", xid: 9, subXid: 10, abortLsn: 4n, abortTime: 5n,
    });
  });
});

describe("parseMessage on malformed input", () => {
  const fails = (bytes: Uint8Array, pattern: RegExp): void => {
    let error: unknown;
    try {
      parseMessage(bytes);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(PgoutputFormatError);
    expect((error as Error).message).toMatch(pattern);
  };

  it("rejects empty input and unknown message types by name and code", () => {
    fails(new Uint8Array(), /empty pgoutput message/);
    fails(new Bytes().char("Z").int32(1).build(), /unknown pgoutput message type 'Z' \(0x5a\)/);
    fails(Uint8Array.from([0x01, 0, 0]), /unknown pgoutput message type non-printable \(0x01\)/);
  });

  it("reports truncation with the message kind, the field and the offset", () => {
    const begin = new Bytes().char("B").uint64(1n).int64(2n).uint32(3).build();
    fails(begin.subarray(0, 5), /truncated Begin message: needed 8 byte\(s\) for final LSN at offset 0, but only 4 remain/);
    fails(begin.subarray(0, begin.length - 1), /truncated Begin message: .*for xid at offset 16/);
    const relation = relationBytes(5).build();
    fails(relation.subarray(0, 8), /truncated Relation message: namespace at offset 4 has no terminating NUL/);
    fails(relation.subarray(0, relation.length - 2), /truncated Relation message: .*column 1 type modifier/);
    fails(new Bytes().char("I").uint32(5).char("N").int16(1).char("t").int32(10).raw([1, 2]).build(), /truncated Insert message: needed 10 byte\(s\) for new tuple column 0 value/);
    fails(new Bytes().char("M").int8(0).uint64(1n).string("p").int32(100).build(), /truncated Message message: needed 100 byte\(s\) for content/);
    fails(new Bytes().char("T").int32(3).int8(0).uint32(1).build(), /truncated Truncate message: .*relation id 1/);
  });

  it("rejects bad markers, kinds, lengths and trailing bytes", () => {
    fails(new Bytes().char("I").uint32(5).char("X").build(), /malformed Insert message .*expected 'N' before the new tuple, got 'X'/);
    fails(new Bytes().char("U").uint32(5).char("Q").build(), /malformed Update message .*expected 'N'.*got 'Q'/);
    fails(new Bytes().char("D").uint32(5).char("N").int16(0).build(), /malformed Delete message .*expected 'K' or 'O'/);
    fails(new Bytes().char("I").uint32(5).char("N").int16(1).char("x").build(), /unknown column kind 'x' for new tuple column 0/);
    fails(new Bytes().char("I").uint32(5).char("N").int16(1).char("t").int32(-1).build(), /negative length -1/);
    fails(new Bytes().char("I").uint32(5).char("N").int16(-1).build(), /negative column count -1/);
    fails(new Bytes().char("T").int32(-2).int8(0).build(), /negative relation count -2/);
    fails(relationBytes(5, "z").build(), /unknown replica identity 'z'/);
    fails(new Bytes().char("E").int8(0).build(), /malformed Stream Stop message at offset 0: 1 unexpected trailing byte/);
    fails(new Bytes().char("I").uint32(5).char("N").int16(1).char("t").int32(1).raw([0xff]).build(), /not valid UTF-8/);
  });
});

describe("PgoutputDecoder", () => {
  it("names columns from the cached Relation and keeps only key columns of a 'K' old tuple", () => {
    const decoder = new PgoutputDecoder();
    const relation = decoder.decode(relationBytes(5).build());
    expect(decoder.decode(new Bytes().char("I").uint32(5).char("N").int16(2).text("1").char("u").build())).toEqual({
      tag: "insert", relation, columns: { id: "1", name: UNCHANGED_TOAST },
    });
    expect(decoder.decode(new Bytes().char("D").uint32(5).char("K").int16(2).text("1").char("n").build())).toEqual({
      tag: "delete", relation, oldKind: "K", old: { id: "1" },
    });
    expect(decoder.decode(new Bytes().char("U").uint32(5).char("O").int16(2).text("1").char("n").char("N").int16(2).text("2").text("b").build())).toEqual({
      tag: "update", relation, oldKind: "O", old: { id: "1", name: null }, columns: { id: "2", name: "b" },
    });
  });

  it("tracks Stream Start/Stop to know when changes carry an xid", () => {
    const decoder = new PgoutputDecoder();
    decoder.decode(new Bytes().char("S").uint32(77).int8(1).build());
    decoder.decode(new Bytes().char("R").uint32(77).raw(relationBytes(5).build().subarray(1)).build());
    expect(decoder.decode(new Bytes().char("I").uint32(77).uint32(5).char("N").int16(2).text("1").char("n").build())).toMatchObject({
      tag: "insert", xid: 77, columns: { id: "1", name: null },
    });
    decoder.decode(new Bytes().char("E").build());
    expect(decoder.decode(new Bytes().char("I").uint32(5).char("N").int16(2).text("2").char("n").build())).not.toHaveProperty("xid");
  });

  it("fails clearly on a change to an unknown relation or a tuple of the wrong width", () => {
    const decoder = new PgoutputDecoder();
    expect(() => decoder.decode(new Bytes().char("I").uint32(5).char("N").int16(0).build())).toThrow(/Insert for relation 5, but no Relation message/);
    expect(() => decoder.decode(new Bytes().char("T").int32(1).int8(0).uint32(6).build())).toThrow(/Truncate for relation 6/);
    decoder.decode(relationBytes(5).build());
    expect(() => decoder.decode(new Bytes().char("I").uint32(5).char("N").int16(1).text("1").build())).toThrow(
      /new tuple for public.people has 1 column\(s\) but its Relation message declares 2/,
    );
  });
});
