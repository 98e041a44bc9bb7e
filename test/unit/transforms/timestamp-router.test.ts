import { describe, expect, it } from "vitest";
import { ConfigException, DataException } from "../../../connect/api/index.ts";
import { TimestampRouter, timestampRouterPlugin } from "../../../transforms/timestamp-router.ts";
import { sourceRecord } from "./helpers.ts";

function configured(configs: Record<string, unknown>): TimestampRouter {
  const t = new TimestampRouter();
  t.configure(configs);
  return t;
}

describe("TimestampRouter", () => {
  // 1_700_000_000_123 ms = 2023-11-14T22:13:20.123Z
  it("uses ${topic}-${timestamp} and yyyyMMdd by default (UTC)", () => {
    expect(configured({}).apply(sourceRecord())!.topic).toBe("orders-20231114");
  });

  it("formats SimpleDateFormat patterns with quoted literals", () => {
    const t = configured({ "topic.format": "${timestamp}_${topic}", "timestamp.format": "yy-MM-dd'T'HH:mm:ss.SSS" });
    expect(t.apply(sourceRecord())!.topic).toBe("23-11-14T22:13:20.123_orders");
  });

  it("fails on records without timestamp and unsupported patterns", () => {
    expect(() => configured({}).apply(sourceRecord({ timestamp: null }))).toThrow(DataException);
    expect(() => configured({ "timestamp.format": "EEE" })).toThrow(ConfigException);
    expect(timestampRouterPlugin.aliases).toEqual(["org.apache.kafka.connect.transforms.TimestampRouter"]);
  });
});
