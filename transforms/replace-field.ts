// ReplaceField (org.apache.kafka.connect.transforms.ReplaceField$Key / $Value): keeps only the
// included fields, drops the excluded ones and renames fields, on Structs and schemaless maps.
// The deprecated keys `whitelist` and `blacklist` are still accepted for `include` and `exclude`,
// as in Kafka 3.x (Kafka 4.0 removed them: 4.3.1 ignores them; see the conformance test).
import { ConfigDef, ConfigException, type ConnectRecord, type Schema, SchemaBuilder, Struct, Transformation, type PluginConfigs } from "../connect/api/index.ts";
import { copySchemaBasics, KAFKA_TRANSFORMS_PACKAGE, keyValuePlugins, operatingSchema, operatingValue, REPLACE_NULL_WITH_DEFAULT_DOC, requireMap, requireStruct, type Side, structGet, withOperated } from "./util.ts";

const PURPOSE = "field replacement";

export const REPLACE_FIELD_CONFIG = new ConfigDef()
  .define({ name: "exclude", type: "LIST", defaultValue: "", importance: "MEDIUM", documentation: "Fields to exclude. This takes precedence over the fields to include." })
  .define({ name: "include", type: "LIST", defaultValue: "", importance: "MEDIUM", documentation: "Fields to include. If specified, only these fields will be used." })
  .define({
    name: "renames",
    type: "LIST",
    defaultValue: "",
    importance: "MEDIUM",
    documentation: "Field rename mappings.",
    validator: {
      ensureValid: (name: string, value: unknown) => {
        parseRenames(name, (value as string[] | null) ?? []);
      },
      toString: () => "list of colon-delimited pairs, e.g. <code>foo:bar,abc:xyz</code>",
    },
  })
  .define({ name: "replace.null.with.default", type: "BOOLEAN", defaultValue: true, importance: "MEDIUM", documentation: REPLACE_NULL_WITH_DEFAULT_DOC })
  .define({ name: "blacklist", type: "LIST", defaultValue: null, importance: "LOW", documentation: "Deprecated. Use exclude instead." })
  .define({ name: "whitelist", type: "LIST", defaultValue: null, importance: "LOW", documentation: "Deprecated. Use include instead." });

function parseRenames(name: string, mappings: readonly string[]): Map<string, string> {
  const renames = new Map<string, string>();
  for (const mapping of mappings) {
    const parts = mapping.split(":");
    if (parts.length !== 2 || parts[0] === "" || parts[1] === "") throw new ConfigException(name, mappings, `Invalid rename mapping: ${mapping}`);
    renames.set(parts[0]!, parts[1]!);
  }
  return renames;
}

export class ReplaceField extends Transformation {
  readonly #side: Side;
  #exclude: ReadonlySet<string> = new Set();
  #include: ReadonlySet<string> = new Set();
  #renames = new Map<string, string>();
  #replaceNullWithDefault = true;
  readonly #schemaCache = new Map<Schema, Schema>();

  constructor(side: Side) {
    super();
    this.#side = side;
  }

  override configure(configs: PluginConfigs): void {
    // Kafka's ConfigUtils.translateDeprecatedConfigs: the old key is used when the new one is absent.
    const translated: Record<string, unknown> = { ...configs };
    for (const [newKey, oldKey] of [["include", "whitelist"], ["exclude", "blacklist"]] as const) {
      if (translated[newKey] === undefined && translated[oldKey] !== undefined) translated[newKey] = translated[oldKey];
    }
    const c = REPLACE_FIELD_CONFIG.parse(translated);
    this.#exclude = new Set(c["exclude"] as string[]);
    this.#include = new Set(c["include"] as string[]);
    this.#renames = parseRenames("renames", c["renames"] as string[]);
    this.#replaceNullWithDefault = c["replace.null.with.default"] as boolean;
  }

  #filter(name: string): boolean {
    return !this.#exclude.has(name) && (this.#include.size === 0 || this.#include.has(name));
  }

  #renamed(name: string): string {
    return this.#renames.get(name) ?? name;
  }

  override apply(record: ConnectRecord): ConnectRecord | null {
    const value = operatingValue(record, this.#side);
    if (value === null || value === undefined) return record;
    const schema = operatingSchema(record, this.#side);
    if (schema === null) {
      const updated: Record<string, unknown> = {};
      for (const [name, fieldValue] of Object.entries(requireMap(value, PURPOSE))) {
        if (this.#filter(name)) updated[this.#renamed(name)] = fieldValue;
      }
      return withOperated(record, this.#side, null, updated);
    }
    const struct = requireStruct(value, PURPOSE);
    const updatedSchema = this.#updatedSchema(struct.schema);
    const updated = new Struct(updatedSchema);
    for (const field of updatedSchema.fields) {
      updated.put(field.name, structGet(struct, this.#reverseRenamed(field.name), this.#replaceNullWithDefault));
    }
    return withOperated(record, this.#side, updatedSchema, updated);
  }

  #reverseRenamed(name: string): string {
    for (const [from, to] of this.#renames) if (to === name) return from;
    return name;
  }

  #updatedSchema(schema: Schema): Schema {
    let updated = this.#schemaCache.get(schema);
    if (updated) return updated;
    const builder = copySchemaBasics(schema, SchemaBuilder.struct());
    for (const field of schema.fields) {
      if (this.#filter(field.name)) builder.field(this.#renamed(field.name), field.schema);
    }
    updated = builder.build();
    this.#schemaCache.set(schema, updated);
    return updated;
  }

  override config(): ConfigDef {
    return REPLACE_FIELD_CONFIG;
  }
}

export const [replaceFieldKeyPlugin, replaceFieldValuePlugin] = keyValuePlugins(
  "ReplaceField",
  `${KAFKA_TRANSFORMS_PACKAGE}.ReplaceField`,
  REPLACE_FIELD_CONFIG,
  "Filter or rename fields",
  (side) => new ReplaceField(side),
);
