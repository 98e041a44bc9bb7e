// The datagen quickstarts: the record schemas of kafka-connect-datagen's best-known demos
// (users, pageviews, orders, stock_trades, clickstream; same field names and types, schema
// names ksql.<name>) with our own value generators. Every value comes from the seeded random
// generator and the record's iteration number only, so a seed gives the same data every time.
import { Schema, SchemaBuilder, Struct } from "../../connect/api/index.ts";
import type { SeededRandom } from "./random.ts";

export interface Quickstart {
  readonly name: string;
  /** The field whose value (as text) is the record key by default. */
  readonly keyField: string;
  readonly schema: Schema;
  /** The value of record number `iteration` (0, 1, ...) of a task. */
  generate(random: SeededRandom, iteration: number): Struct;
}

// Timestamps in a fixed window (2020-09-13 .. 2023-11-14 UTC) keep generated data reproducible.
const TIME_MIN = 1_600_000_000_000;
const TIME_MAX = 1_700_000_000_000;
const time = (random: SeededRandom): bigint => BigInt(random.int(TIME_MIN, TIME_MAX));
const numbered = (random: SeededRandom, prefix: string, max: number): string => `${prefix}${random.int(1, max)}`;

const usersSchema = SchemaBuilder.struct()
  .name("ksql.users")
  .field("registertime", Schema.INT64_SCHEMA)
  .field("userid", Schema.STRING_SCHEMA)
  .field("regionid", Schema.STRING_SCHEMA)
  .field("gender", Schema.STRING_SCHEMA)
  .field("age", Schema.OPTIONAL_INT32_SCHEMA)
  .build();

const users: Quickstart = {
  name: "users",
  keyField: "userid",
  schema: usersSchema,
  generate: (random) =>
    new Struct(usersSchema)
      .put("registertime", time(random))
      .put("userid", numbered(random, "User_", 9))
      .put("regionid", numbered(random, "Region_", 9))
      .put("gender", random.pick(["MALE", "FEMALE", "OTHER"]))
      // One user in ten has not said how old they are.
      .put("age", random.next() < 0.1 ? null : random.int(18, 100)),
};

const pageviewsSchema = SchemaBuilder.struct()
  .name("ksql.pageviews")
  .field("viewtime", Schema.INT64_SCHEMA)
  .field("userid", Schema.STRING_SCHEMA)
  .field("pageid", Schema.STRING_SCHEMA)
  .build();

const pageviews: Quickstart = {
  name: "pageviews",
  keyField: "viewtime",
  schema: pageviewsSchema,
  generate: (random, iteration) =>
    new Struct(pageviewsSchema)
      // Strictly increasing, as a view log is.
      .put("viewtime", BigInt(TIME_MIN + iteration * 10 + 1))
      .put("userid", numbered(random, "User_", 9))
      .put("pageid", numbered(random, "Page_", 99)),
};

const addressSchema = SchemaBuilder.struct()
  .name("ksql.address")
  .field("city", Schema.STRING_SCHEMA)
  .field("state", Schema.STRING_SCHEMA)
  .field("zipcode", Schema.INT64_SCHEMA)
  .build();

const ordersSchema = SchemaBuilder.struct()
  .name("ksql.orders")
  .field("ordertime", Schema.INT64_SCHEMA)
  .field("orderid", Schema.INT32_SCHEMA)
  .field("itemid", Schema.STRING_SCHEMA)
  .field("orderunits", Schema.FLOAT64_SCHEMA)
  .field("address", addressSchema)
  .build();

const orders: Quickstart = {
  name: "orders",
  keyField: "orderid",
  schema: ordersSchema,
  generate: (random, iteration) =>
    new Struct(ordersSchema)
      .put("ordertime", time(random))
      .put("orderid", iteration % 0x8000_0000)
      .put("itemid", numbered(random, "Item_", 999))
      .put("orderunits", Math.round(random.float(0.1, 10) * 100) / 100)
      .put(
        "address",
        new Struct(addressSchema)
          .put("city", numbered(random, "City_", 99))
          .put("state", numbered(random, "State_", 99))
          .put("zipcode", BigInt(random.int(10_000, 99_999))),
      ),
};

const stockTradesSchema = SchemaBuilder.struct()
  .name("ksql.StockTrade")
  .doc("A hypothetical stock trade using some known test stock symbols.")
  .field("side", Schema.STRING_SCHEMA)
  .field("quantity", Schema.INT32_SCHEMA)
  .field("symbol", Schema.STRING_SCHEMA)
  .field("price", Schema.INT32_SCHEMA)
  .field("account", Schema.STRING_SCHEMA)
  .field("userid", Schema.STRING_SCHEMA)
  .build();

const stockTrades: Quickstart = {
  name: "stock_trades",
  keyField: "symbol",
  schema: stockTradesSchema,
  generate: (random) =>
    new Struct(stockTradesSchema)
      .put("side", random.pick(["BUY", "SELL", "SHORT"]))
      .put("quantity", random.int(1, 5000))
      .put("symbol", random.pick(["ZBZX", "ZJZZT", "ZTEST", "ZVV", "ZVZZT", "ZWZZT", "ZXZZT"]))
      .put("price", random.int(5, 1000))
      .put("account", random.pick(["ABC123", "LMN456", "XYZ789"]))
      .put("userid", numbered(random, "User_", 9)),
};

const clickstreamSchema = SchemaBuilder.struct()
  .name("ksql.clickstream")
  .field("ip", Schema.STRING_SCHEMA)
  .field("userid", Schema.INT32_SCHEMA)
  .field("remote_user", Schema.STRING_SCHEMA)
  .field("time", Schema.STRING_SCHEMA)
  .field("_time", Schema.INT64_SCHEMA)
  .field("request", Schema.STRING_SCHEMA)
  .field("status", Schema.STRING_SCHEMA)
  .field("bytes", Schema.STRING_SCHEMA)
  .field("referrer", Schema.STRING_SCHEMA)
  .field("agent", Schema.STRING_SCHEMA)
  .build();

const PAGES = ["/index.html", "/site/user_status.html", "/site/login.html", "/site/page.html", "/images/track.png", "/images/logo-small.png"];
const STATUSES = ["200", "200", "200", "302", "404", "405", "406", "407"];
const AGENTS = [
  "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36",
  "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_2) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.2 Safari/605.1.15",
  "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:121.0) Gecko/20100101 Firefox/121.0",
  "curl/8.5.0",
];
const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/** An access-log timestamp: 13/Nov/2023:22:13:20 +0000. */
function accessLogTime(ms: number): string {
  const d = new Date(ms);
  const p = (n: number): string => String(n).padStart(2, "0");
  return `${p(d.getUTCDate())}/${MONTHS[d.getUTCMonth()]}/${d.getUTCFullYear()}:${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())} +0000`;
}

const clickstream: Quickstart = {
  name: "clickstream",
  keyField: "ip",
  schema: clickstreamSchema,
  generate: (random, iteration) => {
    const ms = TIME_MIN + iteration * 1000;
    return new Struct(clickstreamSchema)
      .put("ip", `${random.int(1, 254)}.${random.int(0, 255)}.${random.int(0, 255)}.${random.int(1, 254)}`)
      .put("userid", random.int(1, 40))
      .put("remote_user", "-")
      .put("time", accessLogTime(ms))
      .put("_time", BigInt(ms))
      .put("request", `GET ${random.pick(PAGES)} HTTP/1.1`)
      .put("status", random.pick(STATUSES))
      .put("bytes", String(random.int(100, 5000)))
      .put("referrer", "-")
      .put("agent", random.pick(AGENTS));
  },
};

/** The quickstarts by their (lower-case) name. */
export const QUICKSTARTS: Readonly<Record<string, Quickstart>> = Object.freeze({ users, pageviews, orders, stock_trades: stockTrades, clickstream });
