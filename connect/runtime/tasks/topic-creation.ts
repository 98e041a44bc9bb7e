// Topic creation by source connectors (KIP-158, Kafka's TopicCreation / TopicCreationGroup): with
// the worker's topic.creation.enable=true (the default) and a connector config holding
// topic.creation.default.replication.factor and topic.creation.default.partitions, a source task
// creates each topic it is about to write to for the first time when the topic does not exist.
// The settings come from the first group of topic.creation.groups whose `include` regexes match
// the topic and whose `exclude` regexes do not (whole-name matches, as Java's Pattern.matches),
// else from the default group: `replication.factor` and `partitions` (-1: the broker's default)
// and any other `topic.creation.<group>.<key>` as a topic config (cleanup.policy, retention.ms ...).
import { ConfigException } from "../../api/index.ts";

export interface TopicCreationGroup {
  readonly name: string;
  readonly include: readonly RegExp[];
  readonly exclude: readonly RegExp[];
  readonly replicationFactor: number;
  readonly partitions: number;
  readonly configs: Readonly<Record<string, string>>;
}

export interface NewTopicSpec {
  readonly topic: string;
  readonly numPartitions: number;
  readonly replicationFactor: number;
  readonly configEntries: ReadonlyArray<{ name: string; value: string }>;
}

const PREFIX = "topic.creation.";
const RESERVED = new Set(["include", "exclude", "replication.factor", "partitions"]);

function list(raw: string | undefined): string[] {
  if (raw === undefined) return [];
  return raw
    .split(",")
    .map((s) => s.trim())
    .filter((s) => s !== "");
}

function regexes(key: string, raw: string | undefined): RegExp[] {
  return list(raw).map((source) => {
    try {
      return new RegExp(`^(?:${source})$`);
    } catch (e) {
      throw new ConfigException(key, raw, `Syntax error in regular expression: ${(e as Error).message}`);
    }
  });
}

function count(key: string, raw: string | undefined, inherited: number | undefined, what: string): number {
  if (raw === undefined || raw.trim() === "") {
    if (inherited !== undefined) return inherited;
    throw new ConfigException(`Missing required configuration "${key}" which has no default value.`);
  }
  const n = Number(raw.trim());
  if (!Number.isInteger(n) || (n < 1 && n !== -1)) throw new ConfigException(key, raw, `Number of ${what} must be positive, or -1 to use the broker's default`);
  return n;
}

function group(props: Readonly<Record<string, string>>, name: string, fallback: TopicCreationGroup | null): TopicCreationGroup {
  const p = `${PREFIX}${name}.`;
  const configs: Record<string, string> = {};
  for (const [k, v] of Object.entries(props)) {
    if (!k.startsWith(p)) continue;
    const key = k.slice(p.length);
    if (!RESERVED.has(key)) configs[key] = v;
  }
  return {
    name,
    include: name === "default" ? [/^(?:.*)$/] : regexes(`${p}include`, props[`${p}include`]),
    exclude: regexes(`${p}exclude`, props[`${p}exclude`]),
    replicationFactor: count(`${p}replication.factor`, props[`${p}replication.factor`], fallback?.replicationFactor, "replicas"),
    partitions: count(`${p}partitions`, props[`${p}partitions`], fallback?.partitions, "partitions"),
    configs: fallback ? { ...fallback.configs, ...configs } : configs,
  };
}

export class TopicCreation {
  readonly groups: readonly TopicCreationGroup[];
  readonly defaultGroup: TopicCreationGroup;
  /** Topics known to exist (created or found). */
  readonly #known = new Set<string>();

  constructor(defaultGroup: TopicCreationGroup, groups: readonly TopicCreationGroup[]) {
    this.defaultGroup = defaultGroup;
    this.groups = groups;
  }

  /**
   * The topic creation settings of a source connector, or null when it does not create topics
   * (disabled on the worker, or no topic.creation.default.* settings).
   */
  static fromConfig(workerEnabled: boolean, props: Readonly<Record<string, string>>): TopicCreation | null {
    if (!workerEnabled) return null;
    if (!Object.keys(props).some((k) => k.startsWith(`${PREFIX}default.`))) return null;
    const defaultGroup = group(props, "default", null);
    const names = list(props[`${PREFIX}groups`]).filter((n) => n !== "default");
    // Other groups inherit the default group's counts and topic configs where they set none.
    return new TopicCreation(defaultGroup, names.map((n) => group(props, n, defaultGroup)));
  }

  isKnown(topic: string): boolean {
    return this.#known.has(topic);
  }

  markKnown(topic: string): void {
    this.#known.add(topic);
  }

  /** The first group matching the topic (Kafka's findFirstGroup). */
  groupFor(topic: string): TopicCreationGroup {
    for (const g of this.groups) {
      if (g.include.some((r) => r.test(topic)) && !g.exclude.some((r) => r.test(topic))) return g;
    }
    return this.defaultGroup;
  }

  newTopic(topic: string): NewTopicSpec {
    const g = this.groupFor(topic);
    return { topic, numPartitions: g.partitions, replicationFactor: g.replicationFactor, configEntries: Object.entries(g.configs).map(([name, value]) => ({ name, value })) };
  }
}
