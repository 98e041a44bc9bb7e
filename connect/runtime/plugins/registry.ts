// The plugin registry: every connector, transformation, predicate, converter and header
// converter the worker can instantiate, found by the names users put in configs — our own name,
// a Java class name from the descriptor's aliases (org.apache.kafka.connect.transforms.InsertField$Value),
// or Kafka's short forms of a connector class (FileStreamSinkConnector, FileStreamSink).
import { type AnyPluginDescriptor, ConfigException, type PluginDescriptor, type PluginKind } from "../../api/index.ts";

const KIND_NOUN: Record<PluginKind, string> = {
  source: "Connector",
  sink: "Connector",
  transformation: "Transformation",
  predicate: "Predicate",
  converter: "Converter",
  "header-converter": "HeaderConverter",
};

/** The simple class name of a Java class name ("a.b.C$Value" → "C$Value"). */
function simpleName(className: string): string {
  const dot = className.lastIndexOf(".");
  return dot < 0 ? className : className.slice(dot + 1);
}

/** The names a descriptor answers to: its name, its aliases, and for connectors Kafka's short forms. */
function namesOf(descriptor: AnyPluginDescriptor): string[] {
  const names = new Set<string>([descriptor.name, ...descriptor.aliases]);
  if (descriptor.kind === "source" || descriptor.kind === "sink") {
    for (const alias of descriptor.aliases) {
      const simple = simpleName(alias);
      names.add(simple);
      if (simple.endsWith("Connector")) names.add(simple.slice(0, -"Connector".length));
    }
  }
  return [...names];
}

export class PluginRegistry {
  readonly #byKind = new Map<PluginKind, Map<string, AnyPluginDescriptor>>();
  readonly #all: AnyPluginDescriptor[] = [];

  constructor(descriptors: Iterable<AnyPluginDescriptor> = []) {
    for (const descriptor of descriptors) this.register(descriptor);
  }

  /** Adds a plugin; a name already taken within the kind is an error (two plugins, one name). */
  register(descriptor: AnyPluginDescriptor): void {
    let names = this.#byKind.get(descriptor.kind);
    if (!names) this.#byKind.set(descriptor.kind, (names = new Map()));
    for (const name of namesOf(descriptor)) {
      const existing = names.get(name);
      if (existing && existing !== descriptor) throw new Error(`plugin name '${name}' is used by both ${existing.name} and ${descriptor.name} (${descriptor.kind})`);
      names.set(name, descriptor);
    }
    this.#all.push(descriptor);
  }

  /** The plugin of one of these kinds with this name or alias, or undefined. */
  find<K extends PluginKind>(kinds: K | readonly K[], name: string): PluginDescriptor<K> | undefined {
    for (const kind of typeof kinds === "string" ? [kinds] : kinds) {
      const found = this.#byKind.get(kind)?.get(name.trim());
      if (found) return found as PluginDescriptor<K>;
    }
    return undefined;
  }

  /** Like find(), but a missing plugin is a ConfigException naming what is available, as Kafka's. */
  require<K extends PluginKind>(kinds: K | readonly K[], name: string): PluginDescriptor<K> {
    const found = this.find(kinds, name);
    if (found) return found;
    const list = typeof kinds === "string" ? [kinds] : kinds;
    const noun = KIND_NOUN[list[0] ?? "source"];
    const available = this.list(list).map((d) => displayClass(d)).sort();
    throw new ConfigException(`Failed to find any class that implements ${noun} and which name matches ${name}, available ${noun.toLowerCase()}s are: ${available.join(", ")}`);
  }

  /** Every plugin (of these kinds), in registration order. */
  list(kinds?: readonly PluginKind[]): AnyPluginDescriptor[] {
    return kinds ? this.#all.filter((d) => kinds.includes(d.kind)) : [...this.#all];
  }
}

/**
 * The class name REST shows for a plugin (GET /connector-plugins `class`): its Java class name
 * when it stands in for one, so tools and UIs that look for Kafka's classes find them; else its own name.
 */
export function displayClass(descriptor: AnyPluginDescriptor): string {
  return descriptor.aliases.find((a) => a.includes(".")) ?? descriptor.name;
}
