import { describe, expect, it } from "vitest";
import { ApiKey, apiDefinition } from "../../../../broker/protocol/generated/index.ts";
import { chooseVersion, clientVersionRange } from "../../../../lib/kafka-client/versions.ts";

describe("chooseVersion", () => {
  const ours = { minVersion: 4, maxVersion: 17 };

  it("takes the highest version both sides support", () => {
    expect(chooseVersion(ours, { minVersion: 4, maxVersion: 18 })).toBe(17); // Kafka 4.3's Fetch
    expect(chooseVersion(ours, { minVersion: 0, maxVersion: 11 })).toBe(11); // an older broker
    expect(chooseVersion(ours, { minVersion: 17, maxVersion: 20 })).toBe(17);
  });

  it("honours a caller's cap, but never goes below the common range", () => {
    expect(chooseVersion(ours, { minVersion: 0, maxVersion: 18 }, 12)).toBe(12);
    expect(chooseVersion(ours, { minVersion: 0, maxVersion: 18 }, 3)).toBeUndefined();
  });

  it("finds nothing when the ranges do not meet or the broker lacks the API", () => {
    expect(chooseVersion(ours, { minVersion: 18, maxVersion: 20 })).toBeUndefined();
    expect(chooseVersion(ours, { minVersion: 0, maxVersion: 3 })).toBeUndefined();
    expect(chooseVersion(ours, undefined)).toBeUndefined();
  });
});

describe("clientVersionRange", () => {
  it("is the generated codecs' range", () => {
    const def = apiDefinition(ApiKey.JoinGroup)!;
    expect(clientVersionRange(ApiKey.JoinGroup)).toEqual({ minVersion: def.minVersion, maxVersion: def.latestVersionUnstable ? def.maxVersion - 1 : def.maxVersion });
    expect(clientVersionRange(9999)).toBeUndefined();
  });

  it("leaves out a version Kafka still marks unstable", () => {
    const endTxn = apiDefinition(ApiKey.EndTxn)!;
    expect(endTxn.latestVersionUnstable).toBe(true);
    expect(clientVersionRange(ApiKey.EndTxn)!.maxVersion).toBe(endTxn.maxVersion - 1);
    const stable = apiDefinition(ApiKey.Metadata)!;
    expect(stable.latestVersionUnstable).toBe(false);
    expect(clientVersionRange(ApiKey.Metadata)!.maxVersion).toBe(stable.maxVersion);
  });
});
