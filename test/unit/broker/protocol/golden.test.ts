// Golden bytes: small messages written out by hand from the protocol specification, checked
// in both directions (decode the bytes to the expected object, encode the object to the bytes).
import { describe, expect, it } from "vitest";
import { decodeApiVersionsRequest, encodeApiVersionsRequest } from "../../../../broker/protocol/generated/api-versions-request.ts";
import { decodeApiVersionsResponse, encodeApiVersionsResponse, type ApiVersionsResponse } from "../../../../broker/protocol/generated/api-versions-response.ts";
import { decodeFetchResponse, encodeFetchResponse, type FetchResponse } from "../../../../broker/protocol/generated/fetch-response.ts";
import {
  ApiKey,
  decodeRequestHeader,
  encodeRequestHeader,
  encodeResponseHeader,
  requestHeaderVersion,
  responseHeaderVersion,
  type RequestHeader,
} from "../../../../broker/protocol/generated/index.ts";
import { decodeMetadataRequest, encodeMetadataRequest, type MetadataRequest } from "../../../../broker/protocol/generated/metadata-request.ts";
import { Reader } from "../../../../broker/protocol/primitives/reader.ts";
import { Writer } from "../../../../broker/protocol/primitives/writer.ts";

/** Hex with spaces and comments (after #) allowed, for readable byte layouts. */
function hex(text: string): Buffer {
  return Buffer.from(
    text
      .split("\n")
      .map((l) => l.replace(/#.*/, ""))
      .join("")
      .replace(/\s+/g, ""),
    "hex",
  );
}

function ascii(s: string): string {
  return Buffer.from(s, "ascii").toString("hex");
}

describe("golden bytes", () => {
  it("ApiVersionsRequest v3 in a full frame with request header v2", () => {
    const frame = hex(`
      0000002a                      # frame size: 42 bytes follow
      0012 0003 00000007            # api key 18, version 3, correlation id 7
      0006 ${ascii("client")}       # client id: int16 length, even in header v2
      00                            # header tagged fields: none
      12 ${ascii("apache-kafka-java")} # client software name: compact (17 + 1)
      06 ${ascii("3.7.0")}          # client software version: compact (5 + 1)
      00                            # body tagged fields: none
    `);
    expect(requestHeaderVersion(ApiKey.ApiVersions, 3)).toBe(2);

    const r = new Reader(frame);
    expect(r.int32()).toBe(frame.length - 4);
    const header = decodeRequestHeader(r, 2);
    expect(header).toEqual({ requestApiKey: 18, requestApiVersion: 3, correlationId: 7, clientId: "client" });
    const body = decodeApiVersionsRequest(r, 3);
    expect(body).toEqual({ clientSoftwareName: "apache-kafka-java", clientSoftwareVersion: "3.7.0" });
    expect(r.remaining).toBe(0);

    const w = new Writer();
    const size = w.reserveInt32();
    encodeRequestHeader(w, 2, header);
    encodeApiVersionsRequest(w, 3, body);
    w.patchSizeSince(size);
    expect(w.toBuffer().toString("hex")).toBe(frame.toString("hex"));
  });

  it("MetadataRequest v1 for one topic, and for all topics (null)", () => {
    const one = hex(`00000001 0006 ${ascii("orders")}`);
    const expected: MetadataRequest = {
      topics: [{ topicId: "AAAAAAAAAAAAAAAAAAAAAA", name: "orders" }],
      allowAutoTopicCreation: true, // v4+ field: its default when absent
      includeClusterAuthorizedOperations: false,
      includeTopicAuthorizedOperations: false,
    };
    expect(decodeMetadataRequest(new Reader(one), 1)).toEqual(expected);
    const w = new Writer();
    encodeMetadataRequest(w, 1, expected);
    expect(w.toBuffer().equals(one)).toBe(true);

    const all = hex("ffffffff");
    expect(decodeMetadataRequest(new Reader(all), 1).topics).toBeNull();
    // v0 has no null: an empty array meant "all topics" there, and null is refused.
    expect(() => decodeMetadataRequest(new Reader(all), 0)).toThrow(/Topics was null/);
  });

  it("RequestHeader v2 keeps an unknown tagged field as raw bytes and writes it back", () => {
    const bytes = hex(`
      0003 000c 0000002a            # Metadata v12, correlation id 42
      0003 ${ascii("cli")}          # client id
      01 05 02 abcd                 # one tagged field: tag 5, 2 bytes
    `);
    const header: RequestHeader = decodeRequestHeader(new Reader(bytes), 2);
    expect(header.clientId).toBe("cli");
    expect(header.unknownTaggedFields).toEqual([{ tag: 5, data: Buffer.from([0xab, 0xcd]) }]);
    const w = new Writer();
    encodeRequestHeader(w, 2, header);
    expect(w.toBuffer().equals(bytes)).toBe(true);
    // Header v1 has no tagged-field section.
    const v1 = new Writer();
    encodeRequestHeader(v1, 1, header);
    expect(v1.toBuffer().toString("hex")).toBe(`0003000c0000002a0003${ascii("cli")}`);
  });

  it("ApiVersionsResponse v3 with tagged fields, after a v0 response header", () => {
    expect(responseHeaderVersion(ApiKey.ApiVersions, 3)).toBe(0);
    expect(responseHeaderVersion(ApiKey.Metadata, 12)).toBe(1);
    const bytes = hex(`
      0000002a                      # response header v0: correlation id only
      0000                          # error code
      02 0012 0000 0004 00          # api keys: one entry (18, 0..4), no tags
      00000000                      # throttle time
      02                            # two tagged fields, in tag order:
      01 08 0000000000000005        #   tag 1 FinalizedFeaturesEpoch = 5 (int64)
      03 01 01                      #   tag 3 ZkMigrationReady = true
    `);
    const body: ApiVersionsResponse = {
      errorCode: 0,
      apiKeys: [{ apiKey: 18, minVersion: 0, maxVersion: 4 }],
      throttleTimeMs: 0,
      supportedFeatures: [],
      finalizedFeaturesEpoch: 5n,
      finalizedFeatures: [],
      zkMigrationReady: true,
    };
    const w = new Writer();
    encodeResponseHeader(w, 0, { correlationId: 42 });
    encodeApiVersionsResponse(w, 3, body);
    expect(w.toBuffer().toString("hex")).toBe(bytes.toString("hex"));
    const r = new Reader(bytes, 4);
    expect(decodeApiVersionsResponse(r, 3)).toEqual(body);
    expect(r.remaining).toBe(0);
  });

  it("FetchResponse v12 with a tagged struct (CurrentLeader) and a records payload", () => {
    const records = Buffer.from("0102030405", "hex");
    const bytes = hex(`
      00000000 0000 00000000        # throttle time, error code, session id
      02                            # responses: 1
      02 ${ascii("t")}              #   topic "t"
      02                            #   partitions: 1
      00000000 0006                 #     partition 0, NOT_LEADER_OR_FOLLOWER
      0000000000000064              #     high watermark 100
      0000000000000064              #     last stable offset 100
      0000000000000000              #     log start offset 0
      00                            #     aborted transactions: null
      ffffffff                      #     preferred read replica -1
      06 0102030405                 #     records: compact, 5 bytes
      01 01 09 00000002 00000007 00 #     tagged: tag 1 CurrentLeader {2, 7}, 9 bytes
      00                            #   topic tagged fields
      00                            # top-level tagged fields
    `);
    const body: FetchResponse = {
      throttleTimeMs: 0,
      errorCode: 0,
      sessionId: 0,
      responses: [
        {
          topic: "t",
          topicId: "AAAAAAAAAAAAAAAAAAAAAA",
          partitions: [
            {
              partitionIndex: 0,
              errorCode: 6,
              highWatermark: 100n,
              lastStableOffset: 100n,
              logStartOffset: 0n,
              divergingEpoch: { epoch: -1, endOffset: -1n },
              currentLeader: { leaderId: 2, leaderEpoch: 7 },
              snapshotId: { endOffset: -1n, epoch: -1 },
              abortedTransactions: null,
              preferredReadReplica: -1,
              records,
            },
          ],
        },
      ],
      nodeEndpoints: [],
    };
    const w = new Writer();
    encodeFetchResponse(w, 12, body);
    expect(w.toBuffer().toString("hex")).toBe(bytes.toString("hex"));
    expect(decodeFetchResponse(new Reader(bytes), 12)).toEqual(body);
  });

  it("known and unknown tagged fields interleave in tag order on the way back out", () => {
    const bytes = hex(`
      00000000 0000 00000000 01     # throttle, error, session, no responses
      03                            # three tagged fields:
      00 0d 02 00000001 02 ${ascii("h")} 00002384 00 00 #   tag 0 NodeEndpoints (known from v16)
      05 01 aa                      #   tag 5: unknown
      09 02 bbcc                    #   tag 9: unknown
    `);
    const v16 = decodeFetchResponse(new Reader(bytes), 16);
    expect(v16.nodeEndpoints).toEqual([{ nodeId: 1, host: "h", port: 9092, rack: null }]);
    expect(v16.unknownTaggedFields?.map((f) => f.tag)).toEqual([5, 9]);
    const w = new Writer();
    encodeFetchResponse(w, 16, v16);
    expect(w.toBuffer().toString("hex")).toBe(bytes.toString("hex"));
    // In v12 tag 0 means nothing yet: all three are kept raw and written back in order.
    const v12 = decodeFetchResponse(new Reader(bytes), 12);
    expect(v12.nodeEndpoints).toEqual([]);
    expect(v12.unknownTaggedFields?.map((f) => f.tag)).toEqual([0, 5, 9]);
    const w12 = new Writer();
    encodeFetchResponse(w12, 12, v12);
    expect(w12.toBuffer().toString("hex")).toBe(bytes.toString("hex"));
  });
});
