// Compatibility levels on top of a format's incompatibilities(reader, writer), the way
// Confluent's CompatibilityChecker and SchemaValidatorBuilder compose them:
//
// - BACKWARD (the new schema reads data written with an old one): reader = new, writer = old;
// - FORWARD (an old schema reads data written with the new one): reader = old, writer = new;
// - FULL: both, the FORWARD messages first;
// - the *_TRANSITIVE levels check every live version, newest first, and report the first
//   version that fails; the others check the latest version only; NONE checks nothing.
//
// As Confluent does, each failing check is followed by "{oldSchemaVersion: N}" and
// "{oldSchema: '<schema>'}" (for FULL only after the BACKWARD messages), and the registry adds
// "{validateFields: 'false', compatibility: 'LEVEL'}" at the end of a non-empty list.
import type { CompatibilityRoles, ParsedSchema, SchemaFormat, SchemaType } from "./formats/types.ts";
import type { CompatibilityLevel } from "./store/records.ts";

/** A previously registered version: its number, stored text, and its parse (done only if needed). */
export interface PreviousVersion {
  readonly version: number;
  readonly schemaType: SchemaType;
  readonly text: string;
  /** Parses the stored text with its format (called only when the version is checked). */
  parse(): ParsedSchema;
}

/** Confluent's answer when two versions are of different formats (ParsedSchema.isBackwardCompatible). */
export const DIFFERENT_SCHEMA_TYPE = "Incompatible because of different schema type";

/** Schemas longer than this are cut in the messages (Confluent's MAX_SCHEMA_SIZE_FOR_LOGGING). */
const MAX_SCHEMA_TEXT = 10 * 1024;

const NEW_READS_OLD: CompatibilityRoles = { reader: "new", writer: "old" };
const OLD_READS_NEW: CompatibilityRoles = { reader: "old", writer: "new" };

function withContext(messages: string[], previous: PreviousVersion, appendSchema: boolean): string[] {
  if (messages.length === 0 || !appendSchema) return messages;
  const text = previous.text;
  return [
    ...messages,
    `{oldSchemaVersion: ${previous.version}}`,
    text.length <= MAX_SCHEMA_TEXT ? `{oldSchema: '${text}'}` : `{oldSchema: <truncated to ${MAX_SCHEMA_TEXT} characters> '${text.slice(0, MAX_SCHEMA_TEXT)}'}`,
  ];
}

function check(format: SchemaFormat, level: CompatibilityLevel, candidate: ParsedSchema, previous: PreviousVersion): string[] {
  const sameType = previous.schemaType === candidate.schemaType;
  const old = sameType ? previous.parse() : null;
  const newReadsOld = (): string[] => (old ? format.incompatibilities(candidate, old, NEW_READS_OLD) : [DIFFERENT_SCHEMA_TYPE]);
  const oldReadsNew = (): string[] => (old ? format.incompatibilities(old, candidate, OLD_READS_NEW) : [DIFFERENT_SCHEMA_TYPE]);
  switch (level) {
    case "BACKWARD":
    case "BACKWARD_TRANSITIVE":
      return withContext(newReadsOld(), previous, true);
    case "FORWARD":
    case "FORWARD_TRANSITIVE":
      return withContext(oldReadsNew(), previous, true);
    case "FULL":
    case "FULL_TRANSITIVE":
      return [...withContext(oldReadsNew(), previous, false), ...withContext(newReadsOld(), previous, true)];
    case "NONE":
      return [];
  }
}

export function isTransitive(level: CompatibilityLevel): boolean {
  return level.endsWith("_TRANSITIVE");
}

/**
 * Why `candidate` may not be registered after `previous` (the subject's live versions, oldest
 * first) at `level`; empty when it may. Does not add the closing config entry (see
 * compatibilityContext).
 */
export function incompatibilities(format: SchemaFormat, level: CompatibilityLevel, candidate: ParsedSchema, previous: readonly PreviousVersion[]): string[] {
  if (level === "NONE" || previous.length === 0) return [];
  const newestFirst = [...previous].reverse();
  const toCheck = isTransitive(level) ? newestFirst : newestFirst.slice(0, 1);
  for (const p of toCheck) {
    const messages = check(format, level, candidate, p);
    if (messages.length > 0) return messages;
  }
  return [];
}

/** The entry Confluent's registry closes a non-empty list of messages with. */
export function compatibilityContext(level: CompatibilityLevel, validateFields = false): string {
  return `{validateFields: '${validateFields}', compatibility: '${level}'}`;
}
