// Reads Java .properties files, the format of Kafka's server.properties,
// connect-distributed.properties, schema-registry.properties and mm2.properties, so that
// users' existing files load unchanged. Follows java.util.Properties.load: `=`, `:` or
// white space separate key and value; `#` and `!` start comments; a trailing odd backslash
// continues the line; \t \n \r \f \uXXXX escapes; any other escaped char stands for itself.
import { readFile } from "node:fs/promises";

export type Properties = Map<string, string>;

export class PropertiesError extends Error {
  override name = "PropertiesError";
}

function logicalLines(text: string): string[] {
  const out: string[] = [];
  let pending: string | undefined;
  for (const raw of text.split(/\r\n|\r|\n/)) {
    const line = pending === undefined ? raw.replace(/^[ \t\f]+/, "") : raw.replace(/^[ \t\f]+/, "");
    if (pending === undefined && (line === "" || line.startsWith("#") || line.startsWith("!"))) continue;
    const trailing = /\\+$/.exec(line)?.[0].length ?? 0;
    if (trailing % 2 === 1) {
      pending = (pending ?? "") + line.slice(0, -1);
      continue;
    }
    out.push((pending ?? "") + line);
    pending = undefined;
  }
  if (pending !== undefined) out.push(pending);
  return out;
}

function unescape(s: string, where: string): string {
  let out = "";
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c !== "\\") {
      out += c;
      continue;
    }
    const n = s[++i];
    if (n === undefined) break;
    if (n === "t") out += "\t";
    else if (n === "n") out += "\n";
    else if (n === "r") out += "\r";
    else if (n === "f") out += "\f";
    else if (n === "u") {
      const hex = s.slice(i + 1, i + 5);
      if (!/^[0-9a-fA-F]{4}$/.test(hex)) throw new PropertiesError(`${where}: malformed \\u escape '\\u${hex}'`);
      out += String.fromCharCode(parseInt(hex, 16));
      i += 4;
    } else out += n;
  }
  return out;
}

export function parseProperties(text: string, source = "<properties>"): Properties {
  const props: Properties = new Map();
  logicalLines(text).forEach((line, index) => {
    let keyEnd = 0;
    while (keyEnd < line.length) {
      const c = line[keyEnd];
      if (c === "\\") keyEnd += 2;
      else if (c === "=" || c === ":" || c === " " || c === "\t" || c === "\f") break;
      else keyEnd++;
    }
    let rest = line.slice(keyEnd).replace(/^[ \t\f]*/, "");
    if (rest.startsWith("=") || rest.startsWith(":")) rest = rest.slice(1).replace(/^[ \t\f]*/, "");
    const where = `${source}: entry ${index + 1}`;
    props.set(unescape(line.slice(0, keyEnd), where), unescape(rest, where));
  });
  return props;
}

export async function readProperties(path: string): Promise<Properties> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (err) {
    throw new PropertiesError(`cannot read properties file ${path}: ${(err as Error).message}`);
  }
  return parseProperties(text, path);
}

/** Applies `--override key=value` pairs on top of a file's properties. */
export function applyOverrides(props: Properties, overrides: readonly string[]): Properties {
  const merged: Properties = new Map(props);
  for (const pair of overrides) {
    const eq = pair.indexOf("=");
    if (eq <= 0) throw new PropertiesError(`--override expects key=value, got '${pair}'`);
    merged.set(pair.slice(0, eq).trim(), pair.slice(eq + 1).trim());
  }
  return merged;
}
