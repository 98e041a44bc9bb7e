// Schema texts and how Apache Avro's Java implementation (1.11, the one in Confluent's Schema
// Registry) prints them back with `Schema.toString(referencedSchemas, false)`, which is the text
// Confluent stores and returns (AvroSchema.canonicalString). The unit test checks the hub's
// canonical strings against these; the integration test
// (test/integration/registry/avro-compatibility-java.test.ts) asks Java again.

export interface CanonicalCase {
  readonly name: string;
  /** Texts of the referenced schemas, in dependency order. */
  readonly references?: readonly string[];
  readonly schema: string;
  /** What Java prints. */
  readonly java: string;
  /** What the hub prints where it deliberately differs from Java. */
  readonly hub?: string;
}

export const CANONICAL_CASES: readonly CanonicalCase[] = [
  {
    name: "a primitive",
    schema: `"string"`,
    java: "\"string\"",
  },
  {
    name: "a primitive as an object",
    schema: `{ "type": "long" }`,
    java: "\"long\"",
  },
  {
    name: "a primitive with a logical type",
    schema: `{"type": "int", "logicalType": "date"}`,
    java: "{\"type\":\"int\",\"logicalType\":\"date\"}",
  },
  {
    name: "Confluent's quickstart payment",
    schema: `{
  "namespace": "io.confluent.examples.clients.basicavro",
  "type": "record",
  "name": "Payment",
  "fields": [
    {"name": "id", "type": "string"},
    {"name": "amount", "type": "double"}
  ]
}`,
    java: "{\"type\":\"record\",\"name\":\"Payment\",\"namespace\":\"io.confluent.examples.clients.basicavro\",\"fields\":[{\"name\":\"id\",\"type\":\"string\"},{\"name\":\"amount\",\"type\":\"double\"}]}",
  },
  {
    name: "attributes in Java's order, doc, defaults, aliases, order, properties",
    schema: `{
  "fields": [
    {"default": 1.0, "type": "double", "name": "ratio", "order": "descending", "doc": "how much", "aliases": ["r", "r"], "custom": {"b": 1, "a": [true, null]}},
    {"name": "tags", "type": {"type": "array", "items": "string", "x-prop": "v"}, "default": []},
    {"name": "attrs", "type": {"values": "long", "type": "map"}, "default": {"b": 1, "a": 12345678901234}},
    {"name": "kind", "type": {"symbols": ["A", "B"], "name": "Kind", "type": "enum", "default": "A", "doc": "the kind", "aliases": ["Sort"], "java-class": "x.Kind"}},
    {"name": "hash", "type": {"size": 16, "name": "MD5", "type": "fixed", "namespace": "other.ns", "aliases": ["Hash"]}},
    {"name": "ignored", "type": "int", "order": "ignore", "default": -0}
  ],
  "aliases": ["OldEvent", "elsewhere.Older"],
  "doc": "An event",
  "name": "Event",
  "type": "record",
  "namespace": "com.example",
  "owner": "team-a"
}`,
    java: "{\"type\":\"record\",\"name\":\"Event\",\"namespace\":\"com.example\",\"doc\":\"An event\",\"fields\":[{\"name\":\"ratio\",\"type\":\"double\",\"doc\":\"how much\",\"default\":1.0,\"order\":\"descending\",\"aliases\":[\"r\"],\"custom\":{\"b\":1,\"a\":[true,null]}},{\"name\":\"tags\",\"type\":{\"type\":\"array\",\"items\":\"string\",\"x-prop\":\"v\"},\"default\":[]},{\"name\":\"attrs\",\"type\":{\"type\":\"map\",\"values\":\"long\"},\"default\":{\"b\":1,\"a\":12345678901234}},{\"name\":\"kind\",\"type\":{\"type\":\"enum\",\"name\":\"Kind\",\"doc\":\"the kind\",\"symbols\":[\"A\",\"B\"],\"default\":\"A\",\"java-class\":\"x.Kind\",\"aliases\":[\"Sort\"]}},{\"name\":\"hash\",\"type\":{\"type\":\"fixed\",\"name\":\"MD5\",\"namespace\":\"other.ns\",\"size\":16,\"aliases\":[\"Hash\"]}},{\"name\":\"ignored\",\"type\":\"int\",\"default\":0,\"order\":\"ignore\"}],\"owner\":\"team-a\",\"aliases\":[\"OldEvent\",\"elsewhere.Older\"]}",
  },
  {
    name: "number literals as Jackson writes them",
    schema: `{"type":"record","name":"Numbers","fields":[
  {"name":"a","type":"double","default":1e10},
  {"name":"b","type":"double","default":0.0001},
  {"name":"c","type":"float","default":1.5E-7},
  {"name":"d","type":"double","default":123456789.0},
  {"name":"e","type":"double","default":-0.0},
  {"name":"f","type":"double","default":100},
  {"name":"g","type":"double","default":"NaN"},
  {"name":"h","type":"float","default":"2.5"},
  {"name":"i","type":"long","default":9223372036854775807},
  {"name":"j","type":"double","default":1e400},
  {"name":"k","type":"double","default":0.1}
]}`,
    java: "{\"type\":\"record\",\"name\":\"Numbers\",\"fields\":[{\"name\":\"a\",\"type\":\"double\",\"default\":1.0E10},{\"name\":\"b\",\"type\":\"double\",\"default\":1.0E-4},{\"name\":\"c\",\"type\":\"float\",\"default\":1.5E-7},{\"name\":\"d\",\"type\":\"double\",\"default\":1.23456789E8},{\"name\":\"e\",\"type\":\"double\",\"default\":-0.0},{\"name\":\"f\",\"type\":\"double\",\"default\":100},{\"name\":\"g\",\"type\":\"double\",\"default\":\"NaN\"},{\"name\":\"h\",\"type\":\"float\",\"default\":2.5},{\"name\":\"i\",\"type\":\"long\",\"default\":9223372036854775807},{\"name\":\"j\",\"type\":\"double\",\"default\":\"Infinity\"},{\"name\":\"k\",\"type\":\"double\",\"default\":0.1}]}",
  },
  {
    name: "string escapes as Jackson writes them",
    schema: `{"type":"record","name":"Escapes","doc":"tab\\there \\"quoted\\" \\\\ slash\\/ \\u0001 é ✓","fields":[{"name":"s","type":"string","default":"line\\nbreak \\u001f \\u007f"}]}`,
    java: "{\"type\":\"record\",\"name\":\"Escapes\",\"doc\":\"tab\\there \\\"quoted\\\" \\\\ slash/ \\u0001 é ✓\",\"fields\":[{\"name\":\"s\",\"type\":\"string\",\"default\":\"line\\nbreak \\u001F \"}]}",
  },
  {
    name: "namespaces: inherited, explicit, null inside a namespace, dotted names",
    schema: `{"type":"record","name":"Outer","namespace":"a.b","fields":[
  {"name":"same","type":{"type":"record","name":"Inner","fields":[{"name":"x","type":"int"}]}},
  {"name":"other","type":{"type":"record","name":"c.d.Other","fields":[{"name":"back","type":"a.b.Inner"},{"name":"e","type":{"type":"enum","name":"E","symbols":["X"]}}]}},
  {"name":"none","type":{"type":"record","name":"Global","namespace":"","fields":[{"name":"y","type":"c.d.E"}]}},
  {"name":"again","type":"Global"},
  {"name":"inner2","type":"Inner"}
]}`,
    java: "{\"type\":\"record\",\"name\":\"Outer\",\"namespace\":\"a.b\",\"fields\":[{\"name\":\"same\",\"type\":{\"type\":\"record\",\"name\":\"Inner\",\"fields\":[{\"name\":\"x\",\"type\":\"int\"}]}},{\"name\":\"other\",\"type\":{\"type\":\"record\",\"name\":\"Other\",\"namespace\":\"c.d\",\"fields\":[{\"name\":\"back\",\"type\":\"a.b.Inner\"},{\"name\":\"e\",\"type\":{\"type\":\"enum\",\"name\":\"E\",\"symbols\":[\"X\"]}}]}},{\"name\":\"none\",\"type\":{\"type\":\"record\",\"name\":\"Global\",\"namespace\":\"\",\"fields\":[{\"name\":\"y\",\"type\":\"c.d.E\"}]}},{\"name\":\"again\",\"type\":\"Global\"},{\"name\":\"inner2\",\"type\":\"Inner\"}]}",
  },
  {
    name: "a recursive record",
    schema: `{"type":"record","name":"LinkedList","namespace":"lists","fields":[{"name":"value","type":"int"},{"name":"next","type":["null","LinkedList"],"default":null}]}`,
    java: "{\"type\":\"record\",\"name\":\"LinkedList\",\"namespace\":\"lists\",\"fields\":[{\"name\":\"value\",\"type\":\"int\"},{\"name\":\"next\",\"type\":[\"null\",\"LinkedList\"],\"default\":null}]}",
  },
  {
    name: "Kafka Connect's AvroData output (connect.* properties, decimal)",
    schema: `{"type":"record","name":"Value","namespace":"dbserver1.inventory.customers","fields":[{"name":"id","type":"int"},{"name":"price","type":{"type":"bytes","scale":2,"precision":10,"connect.version":1,"connect.parameters":{"scale":"2","connect.decimal.precision":"10"},"connect.name":"org.apache.kafka.connect.data.Decimal","logicalType":"decimal"}},{"name":"created","type":{"type":"long","connect.version":1,"connect.name":"io.debezium.time.MicroTimestamp"}},{"name":"email","type":["null",{"type":"string","connect.parameters":{"__debezium.source.column.type":"VARCHAR"}}],"default":null}],"connect.name":"dbserver1.inventory.customers.Value"}`,
    java: "{\"type\":\"record\",\"name\":\"Value\",\"namespace\":\"dbserver1.inventory.customers\",\"fields\":[{\"name\":\"id\",\"type\":\"int\"},{\"name\":\"price\",\"type\":{\"type\":\"bytes\",\"scale\":2,\"precision\":10,\"connect.version\":1,\"connect.parameters\":{\"scale\":\"2\",\"connect.decimal.precision\":\"10\"},\"connect.name\":\"org.apache.kafka.connect.data.Decimal\",\"logicalType\":\"decimal\"}},{\"name\":\"created\",\"type\":{\"type\":\"long\",\"connect.version\":1,\"connect.name\":\"io.debezium.time.MicroTimestamp\"}},{\"name\":\"email\",\"type\":[\"null\",{\"type\":\"string\",\"connect.parameters\":{\"__debezium.source.column.type\":\"VARCHAR\"}}],\"default\":null}],\"connect.name\":\"dbserver1.inventory.customers.Value\"}",
  },
  {
    name: "a Debezium-style envelope",
    schema: `{"type":"record","name":"Envelope","namespace":"dbserver1.inventory.customers","fields":[{"name":"before","type":["null",{"type":"record","name":"Value","fields":[{"name":"id","type":"int"},{"name":"first_name","type":"string"},{"name":"email","type":"string"}],"connect.name":"dbserver1.inventory.customers.Value"}],"default":null},{"name":"after","type":["null","Value"],"default":null},{"name":"source","type":{"type":"record","name":"Source","namespace":"io.debezium.connector.mysql","fields":[{"name":"version","type":"string"},{"name":"connector","type":"string"},{"name":"ts_ms","type":"long"},{"name":"snapshot","type":[{"type":"string","connect.version":1,"connect.parameters":{"allowed":"true,last,false,incremental"},"connect.default":"false","connect.name":"io.debezium.data.Enum"},"null"],"default":"false"}],"connect.name":"io.debezium.connector.mysql.Source"}},{"name":"op","type":"string"},{"name":"ts_ms","type":["null","long"],"default":null}],"connect.version":1,"connect.name":"dbserver1.inventory.customers.Envelope"}`,
    java: "{\"type\":\"record\",\"name\":\"Envelope\",\"namespace\":\"dbserver1.inventory.customers\",\"fields\":[{\"name\":\"before\",\"type\":[\"null\",{\"type\":\"record\",\"name\":\"Value\",\"fields\":[{\"name\":\"id\",\"type\":\"int\"},{\"name\":\"first_name\",\"type\":\"string\"},{\"name\":\"email\",\"type\":\"string\"}],\"connect.name\":\"dbserver1.inventory.customers.Value\"}],\"default\":null},{\"name\":\"after\",\"type\":[\"null\",\"Value\"],\"default\":null},{\"name\":\"source\",\"type\":{\"type\":\"record\",\"name\":\"Source\",\"namespace\":\"io.debezium.connector.mysql\",\"fields\":[{\"name\":\"version\",\"type\":\"string\"},{\"name\":\"connector\",\"type\":\"string\"},{\"name\":\"ts_ms\",\"type\":\"long\"},{\"name\":\"snapshot\",\"type\":[{\"type\":\"string\",\"connect.version\":1,\"connect.parameters\":{\"allowed\":\"true,last,false,incremental\"},\"connect.default\":\"false\",\"connect.name\":\"io.debezium.data.Enum\"},\"null\"],\"default\":\"false\"}],\"connect.name\":\"io.debezium.connector.mysql.Source\"}},{\"name\":\"op\",\"type\":\"string\"},{\"name\":\"ts_ms\",\"type\":[\"null\",\"long\"],\"default\":null}],\"connect.version\":1,\"connect.name\":\"dbserver1.inventory.customers.Envelope\"}",
  },
  {
    name: "an error record and a union of named types",
    schema: `{"type":"error","name":"Failure","fields":[{"name":"cause","type":["null",{"type":"fixed","name":"Code","size":2},{"type":"enum","name":"Level","symbols":["LOW","HIGH"]}]},{"name":"code","type":"Code"}]}`,
    java: "{\"type\":\"error\",\"name\":\"Failure\",\"fields\":[{\"name\":\"cause\",\"type\":[\"null\",{\"type\":\"fixed\",\"name\":\"Code\",\"size\":2},{\"type\":\"enum\",\"name\":\"Level\",\"symbols\":[\"LOW\",\"HIGH\"]}]},{\"name\":\"code\",\"type\":\"Code\"}]}",
  },
  {
    name: "a schema using a type from another subject",
    references: [`{"type":"record","name":"Address","namespace":"com.acme","fields":[{"name":"street","type":"string"},{"name":"zip","type":"string"}]}`],
    schema: `{"type":"record","name":"Customer","namespace":"com.acme","fields":[{"name":"name","type":"string"},{"name":"home","type":"Address"},{"name":"work","type":["null","com.acme.Address"],"default":null}]}`,
    java: "{\"type\":\"record\",\"name\":\"Customer\",\"namespace\":\"com.acme\",\"fields\":[{\"name\":\"name\",\"type\":\"string\"},{\"name\":\"home\",\"type\":\"Address\"},{\"name\":\"work\",\"type\":[\"null\",\"Address\"],\"default\":null}]}",
  },
  {
    name: "references of references, used from another namespace",
    references: [
      `{"type":"enum","name":"Currency","namespace":"money","symbols":["EUR","USD"]}`,
      `{"type":"record","name":"Amount","namespace":"money","fields":[{"name":"value","type":{"type":"bytes","logicalType":"decimal","precision":12,"scale":2}},{"name":"currency","type":"Currency"}]}`,
    ],
    schema: `{"type":"record","name":"Order","namespace":"shop","fields":[{"name":"total","type":"money.Amount"},{"name":"currency","type":"money.Currency"}]}`,
    java: "{\"type\":\"record\",\"name\":\"Order\",\"namespace\":\"shop\",\"fields\":[{\"name\":\"total\",\"type\":\"money.Amount\"},{\"name\":\"currency\",\"type\":\"money.Currency\"}]}",
  },
  {
    name: "a type nested in a referenced schema",
    references: [`{"type":"record","name":"ns.Inner","fields":[{"name":"x","type":{"type":"enum","name":"Nested","symbols":["A"]}}]}`],
    schema: `{"type":"record","name":"Outer","namespace":"ns","fields":[{"name":"i","type":"Inner"},{"name":"k","type":"ns.Nested"}]}`,
    java: "{\"type\":\"record\",\"name\":\"Outer\",\"namespace\":\"ns\",\"fields\":[{\"name\":\"i\",\"type\":\"Inner\"},{\"name\":\"k\",\"type\":{\"type\":\"enum\",\"name\":\"Nested\",\"symbols\":[\"A\"]}}]}",
    // Java (and so Confluent) writes the nested type out, and that text does not parse again with
    // its references ("Can't redefine: ns.Nested"); the hub names it (see registry/formats/avro/index.ts).
    hub: '{"type":"record","name":"Outer","namespace":"ns","fields":[{"name":"i","type":"Inner"},{"name":"k","type":"Nested"}]}',
  },
  {
    name: "a union of references (Confluent's multiple event types in one topic)",
    references: [
      `{"type":"record","name":"PlaceOrder","namespace":"shop","fields":[{"name":"id","type":"string"}]}`,
      `{"type":"record","name":"CancelOrder","namespace":"shop","fields":[{"name":"id","type":"string"},{"name":"reason","type":["null","string"],"default":null}]}`,
    ],
    schema: `["shop.PlaceOrder", "shop.CancelOrder"]`,
    java: "[\"shop.PlaceOrder\",\"shop.CancelOrder\"]",
  },
  {
    name: "comments, whitespace and repeated keys",
    schema: `/* a comment */ {
  // another
  "type": "record", "name": "First", "name": "Second",
  "fields": [ { "name" : "a" , "type" : "int", "x": 1, "x": 2 } ]
}`,
    java: "{\"type\":\"record\",\"name\":\"Second\",\"fields\":[{\"name\":\"a\",\"type\":\"int\",\"x\":2}]}",
  },
];
