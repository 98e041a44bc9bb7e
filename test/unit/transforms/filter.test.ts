import { describe, expect, it } from "vitest";
import { Filter, filterPlugin } from "../../../transforms/filter.ts";
import { sourceRecord } from "./helpers.ts";

describe("Filter", () => {
  it("drops every record", () => {
    const t = filterPlugin.create();
    t.configure({});
    expect(t.apply(sourceRecord({ value: { a: 1 } }))).toBeNull();
    expect(t).toBeInstanceOf(Filter);
    expect(filterPlugin.aliases).toEqual(["org.apache.kafka.connect.transforms.Filter"]);
  });
});
