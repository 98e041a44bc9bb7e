// Can data written with one Avro schema be read with another? The Avro specification's schema
// resolution rules, checked the way Apache Avro's Java SchemaCompatibility does it, because
// Confluent's Schema Registry reports exactly what that class finds: every incompatibility, each
// with a type and a location (a JSON pointer into the reader schema, `/fields/1/type`), in the
// order found. The class's peculiarities are kept on purpose so that answers and messages match:
// names are compared without their namespaces; a branch of a union is checked from a fresh root
// (an incompatibility found there is reported at `/`, or as a missing union branch); a pair of
// schemas checked twice reports what was found the first time (results are memoized by object,
// which is also what ends recursion).
import {
  type AvroSchema,
  type EnumSchema,
  type Field,
  type FixedSchema,
  fieldString,
  javaTypeName,
  type NamedSchema,
  type RecordSchema,
} from "./schema.ts";
import { printSchema } from "./print.ts";

export type IncompatibilityType =
  | "NAME_MISMATCH"
  | "FIXED_SIZE_MISMATCH"
  | "MISSING_ENUM_SYMBOLS"
  | "READER_FIELD_MISSING_DEFAULT_VALUE"
  | "TYPE_MISMATCH"
  | "MISSING_UNION_BRANCH";

export interface Incompatibility {
  readonly type: IncompatibilityType;
  /** JSON pointer into the reader schema, as Java's `Incompatibility.getLocation()`. */
  readonly location: string;
  /** Java's `getMessage()`: details that depend on the type (a field name, missing symbols ...). */
  readonly message: string;
}

interface Result {
  readonly compatible: boolean;
  readonly incompatibilities: readonly Incompatibility[];
}

const COMPATIBLE: Result = { compatible: true, incompatibilities: [] };
const IN_PROGRESS: Result = { compatible: true, incompatibilities: [] };

function merged(a: Result, b: Result): Result {
  if (b.incompatibilities.length === 0 && b.compatible) return a;
  return { compatible: a.compatible && b.compatible, incompatibilities: [...a.incompatibilities, ...b.incompatibilities] };
}

/** Thrown where Java's check throws (a reader field matching two writer fields through aliases). */
export class CompatibilityCheckError extends Error {
  override name = "CompatibilityCheckError";
}

/** Everything that keeps data written with `writer` from being read with `reader`. */
export function checkReaderWriter(reader: AvroSchema, writer: AvroSchema): Incompatibility[] {
  return [...new Checker().check(reader, writer).incompatibilities];
}

/** JSON pointer of a location stack whose first element is the root. */
function pointer(location: readonly string[]): string {
  return "/" + location.slice(1).map((t) => t.replace(/~/g, "~0").replace(/\//g, "~1")).join("/");
}

class Checker {
  private readonly memo = new Map<AvroSchema, Map<AvroSchema, Result>>();

  /** A check from a fresh root location. */
  check(reader: AvroSchema, writer: AvroSchema): Result {
    return this.at("", reader, writer, []);
  }

  private at(token: string, reader: AvroSchema, writer: AvroSchema, location: string[]): Result {
    location.push(token);
    let byWriter = this.memo.get(reader);
    if (byWriter === undefined) {
      byWriter = new Map();
      this.memo.set(reader, byWriter);
    }
    let result = byWriter.get(writer);
    if (result === undefined) {
      byWriter.set(writer, IN_PROGRESS);
      result = this.calculate(reader, writer, location);
      byWriter.set(writer, result);
    } else if (result === IN_PROGRESS) {
      // A recursive schema: compatible unless proven otherwise further up.
      result = COMPATIBLE;
    }
    location.pop();
    return result;
  }

  private incompatible(type: IncompatibilityType, message: string, location: readonly string[]): Result {
    return { compatible: false, incompatibilities: [{ type, location: pointer(location), message }] };
  }

  private typeMismatch(reader: AvroSchema, writer: AvroSchema, location: readonly string[]): Result {
    return this.incompatible(
      "TYPE_MISMATCH",
      `reader type: ${javaTypeName(reader)} not compatible with writer type: ${javaTypeName(writer)}`,
      location,
    );
  }

  private calculate(reader: AvroSchema, writer: AvroSchema, location: string[]): Result {
    if (reader.kind === writer.kind) {
      switch (reader.kind) {
        case "array":
          return this.at("items", reader.items, (writer as typeof reader).items, location);
        case "map":
          return this.at("values", reader.values, (writer as typeof reader).values, location);
        case "fixed":
          return merged(this.names(reader, writer as NamedSchema, location), this.fixedSize(reader, writer as FixedSchema, location));
        case "enum":
          return merged(this.names(reader, writer as NamedSchema, location), this.enumSymbols(reader, writer as EnumSchema, location));
        case "record":
          return merged(this.names(reader, writer as NamedSchema, location), this.fields(reader, writer as RecordSchema, location));
        case "union": {
          // Every branch the writer may have used must be readable.
          let result = COMPATIBLE;
          (writer as typeof reader).types.forEach((branch, i) => {
            location.push(String(i));
            if (!this.check(reader, branch).compatible) {
              result = merged(
                result,
                this.incompatible("MISSING_UNION_BRANCH", `reader union lacking writer type: ${javaTypeName(branch)}`, location),
              );
            }
            location.pop();
          });
          return result;
        }
        default:
          return COMPATIBLE; // the same primitive type
      }
    }

    if (writer.kind === "union") {
      // A reader that is not a union reads a union if it reads every branch.
      let result = COMPATIBLE;
      for (const branch of writer.types) result = merged(result, this.check(reader, branch));
      return result;
    }

    switch (reader.kind) {
      case "long":
        return writer.kind === "int" ? COMPATIBLE : this.typeMismatch(reader, writer, location);
      case "float":
        return writer.kind === "int" || writer.kind === "long" ? COMPATIBLE : this.typeMismatch(reader, writer, location);
      case "double":
        return writer.kind === "int" || writer.kind === "long" || writer.kind === "float"
          ? COMPATIBLE
          : this.typeMismatch(reader, writer, location);
      case "bytes":
        return writer.kind === "string" ? COMPATIBLE : this.typeMismatch(reader, writer, location);
      case "string":
        return writer.kind === "bytes" ? COMPATIBLE : this.typeMismatch(reader, writer, location);
      case "union":
        // A union reads a value of another type if one of its branches does.
        for (const branch of reader.types) if (this.check(branch, writer).compatible) return COMPATIBLE;
        return this.incompatible("MISSING_UNION_BRANCH", `reader union lacking writer type: ${javaTypeName(writer)}`, location);
      default:
        return this.typeMismatch(reader, writer, location);
    }
  }

  /** Names are equal without their namespaces, or the writer's full name is one of the reader's aliases. */
  private names(reader: NamedSchema, writer: NamedSchema, location: string[]): Result {
    location.push("name");
    const equal = reader.name.name === writer.name.name || reader.aliases.some((a) => a.full === writer.name.full);
    const result = equal ? COMPATIBLE : this.incompatible("NAME_MISMATCH", `expected: ${writer.name.full}`, location);
    location.pop();
    return result;
  }

  private fixedSize(reader: FixedSchema, writer: FixedSchema, location: string[]): Result {
    location.push("size");
    const result =
      reader.size === writer.size
        ? COMPATIBLE
        : this.incompatible("FIXED_SIZE_MISMATCH", `expected: ${writer.size}, found: ${reader.size}`, location);
    location.pop();
    return result;
  }

  /** Writer symbols the reader lacks are fine when the reader has a default symbol. */
  private enumSymbols(reader: EnumSchema, writer: EnumSchema, location: string[]): Result {
    location.push("symbols");
    const missing = [...new Set(writer.symbols)].filter((s) => !reader.symbols.includes(s)).sort();
    let result = COMPATIBLE;
    if (missing.length > 0 && !(reader.default !== null && reader.symbols.includes(reader.default))) {
      result = this.incompatible("MISSING_ENUM_SYMBOLS", `[${missing.join(", ")}]`, location);
    }
    location.pop();
    return result;
  }

  /** Each reader field is read from the writer field of its name (or alias), else from its default. */
  private fields(reader: RecordSchema, writer: RecordSchema, location: string[]): Result {
    let result = COMPATIBLE;
    location.push("fields");
    for (const readerField of reader.fields) {
      location.push(String(readerField.pos));
      const writerField = lookupWriterField(writer, readerField);
      if (writerField === null) {
        if (readerField.default === undefined) {
          if (readerField.type.kind === "enum" && readerField.type.default !== null) {
            // What Java does here: it compares the enum with the writer record itself.
            result = merged(result, this.at("type", readerField.type, writer, location));
          } else {
            result = merged(result, this.incompatible("READER_FIELD_MISSING_DEFAULT_VALUE", readerField.name, location));
          }
        }
      } else {
        result = merged(result, this.at("type", readerField.type, writerField.type, location));
      }
      location.pop();
    }
    location.pop();
    return result;
  }
}

function lookupWriterField(writer: RecordSchema, readerField: Field): Field | null {
  const matches: Field[] = [];
  const direct = writer.fields.find((f) => f.name === readerField.name);
  if (direct !== undefined) matches.push(direct);
  for (const alias of readerField.aliases) {
    const f = writer.fields.find((w) => w.name === alias);
    if (f !== undefined) matches.push(f);
  }
  if (matches.length > 1) {
    throw new CompatibilityCheckError(
      `Reader record field ${fieldString(readerField)} matches multiple fields in writer record schema ${printSchema(writer)}`,
    );
  }
  return matches[0] ?? null;
}
