// Validation of a whole connector config, as Kafka's AbstractHerder.validateConnectorConfig does
// it: the common connector keys (ConnectorConfig, enriched with the keys of the transformations
// and predicates the config names), the sink's topic checks, the connector's own ConfigDef and
// validate() override, and the key/value/header converters' own configs. The result is the
// ConfigInfos of PUT /connector-plugins/{plugin}/config/validate; POST /connectors and PUT/PATCH
// .../config answer 400 with configErrorsMessage() when it counts errors. Both herders use it.
import { type AnyPluginDescriptor, ConfigDef, ConfigKey, ConfigValue, configKeyInfo, configValueToJson, type ConnectorProps, parseType, type PluginKind, type Recommender } from "../../api/index.ts";
import { connectorConfigDef, enrichConnectorConfigDef, pluginVersionRecommender } from "../config/connector-config.ts";
import { InvalidVersionSpecError, pluginVersionProblem, versionRequirement } from "../plugins/plugin-version.ts";
import { displayClass, type PluginRegistry } from "../plugins/registry.ts";
import type { ConfigInfo, ConfigInfos } from "./entities.ts";
import { BadRequestError } from "./errors.ts";
import { javaHashMapText, javaListText } from "./java-text.ts";

/** A connector config as it arrives over REST: JSON null is possible (and an error). */
export type RawConnectorConfig = Readonly<Record<string, string | null>>;

export interface ConnectorValidationOptions {
  /**
   * The worker's `key.converter`, `value.converter` and `header.converter`: Kafka 4 shows them as
   * the defaults of the connector's converter keys (ConnectorConfig.enrichedConfigDef).
   */
  readonly workerConverters?: { readonly key?: string | null; readonly value?: string | null; readonly header?: string | null };
  /** Checks a herder adds after the common ones (the distributed herder: sink group id vs worker group). */
  readonly extraChecks?: (kind: "source" | "sink", values: Map<string, ConfigValue>, props: RawConnectorConfig) => void;
}

const NULL_VALUE_ERROR = "Null value can not be supplied as the configuration value.";

/** Kafka's message for a connector class it cannot find, listing what it has as PluginDesc{...} lines. */
export function unknownConnectorMessage(registry: PluginRegistry, className: string): string {
  const available = registry
    .list(["sink", "source"])
    .map((d) => ({ d, cls: displayClass(d) }))
    .sort((a, b) => (a.cls < b.cls ? -1 : a.cls > b.cls ? 1 : 0))
    .map(({ d, cls }) => `PluginDesc{klass=class ${cls}, name='${cls}', version='${d.version}', encodedVersion=${d.version}, type=${d.kind}, typeName='${d.kind}', location='classpath'}`);
  return `Failed to find any class that implements Connector and which name matches ${className}, available connectors are: ${available.join(", ")}`;
}

/** The connector plugin a config names; BadRequestError (Kafka's words) when it names none or an unknown one. */
export function requireConnectorPlugin(registry: PluginRegistry, props: RawConnectorConfig): AnyPluginDescriptor & { kind: "source" | "sink" } {
  const className = props["connector.class"];
  if (className === undefined || className === null) {
    throw new BadRequestError(`Connector config ${javaHashMapText(Object.entries(props))} contains no connector type`);
  }
  const descriptor = registry.find(["source", "sink"], className);
  if (!descriptor) throw new BadRequestError(unknownConnectorMessage(registry, className));
  return descriptor as AnyPluginDescriptor & { kind: "source" | "sink" };
}

/** What redefineKeys changes in a key: its default, its recommender, or both. */
export interface KeyOverride {
  readonly defaultValue?: string | null;
  readonly recommender?: Recommender | null;
}

/** A copy of a ConfigDef with some keys' defaults or recommenders replaced (order, groups and validators kept). */
export function redefineKeys(base: ConfigDef, overrides: ReadonlyMap<string, KeyOverride>): ConfigDef {
  const into = new ConfigDef();
  for (const key of base.configKeys().values()) {
    const override = overrides.get(key.name);
    if (!override) {
      into.define(key);
      continue;
    }
    const hasDefault = "defaultValue" in override ? true : key.hasDefault();
    into.define(
      new ConfigKey({
        name: key.name,
        type: key.type,
        ...(hasDefault ? { defaultValue: "defaultValue" in override ? override.defaultValue : key.defaultValue } : {}),
        validator: key.validator,
        importance: key.importance,
        documentation: key.documentation,
        group: key.group,
        orderInGroup: key.orderInGroup,
        width: key.width,
        displayName: key.displayName,
        dependents: key.dependents,
        recommender: "recommender" in override ? override.recommender : key.recommender,
        internal: key.internalConfig,
      }),
    );
  }
  return into;
}

/** A copy of a ConfigDef with the defaults of some keys replaced. */
export function redefineDefaults(base: ConfigDef, defaults: ReadonlyMap<string, string | null>): ConfigDef {
  return redefineKeys(base, new Map([...defaults].map(([name, defaultValue]) => [name, { defaultValue }])));
}

interface ConverterRole {
  readonly property: "header.converter" | "key.converter" | "value.converter";
  readonly kind: "converter" | "header-converter";
  readonly converterType: "header" | "key" | "value";
  readonly worker: "header" | "key" | "value";
}

// Kafka validates the header converter first, then key, then value.
const CONVERTER_ROLES: readonly ConverterRole[] = [
  { property: "header.converter", kind: "header-converter", converterType: "header", worker: "header" },
  { property: "key.converter", kind: "converter", converterType: "key", worker: "key" },
  { property: "value.converter", kind: "converter", converterType: "value", worker: "value" },
];

const classRecommender = (registry: PluginRegistry, kind: PluginKind): Recommender => ({
  validValues: () => registry.list([kind]).map(displayClass).sort(),
  visible: () => true,
});

/** A converter's version key: its version, shown only when a converter is in effect (as Kafka). */
const converterVersionRecommender = (version: string | null): Recommender => ({
  validValues: () => (version === null ? [] : [version]),
  visible: () => version !== null,
});

/**
 * The common connector keys as Kafka 4's enrichedConfigDef shows them for one connector
 * plugin: `connector.plugin.version` defaults to (and recommends) the plugin's version; each
 * converter key defaults to the worker's converter and recommends every converter (or header
 * converter) class; each `*.converter.plugin.version` defaults to (and recommends) the version
 * of the converter in effect, the connector's own or else the worker's.
 */
export function connectorBaseConfigDef(
  registry: PluginRegistry,
  descriptor: AnyPluginDescriptor & { kind: "source" | "sink" },
  props: RawConnectorConfig,
  options: ConnectorValidationOptions = {},
): ConfigDef {
  const overrides = new Map<string, KeyOverride>([["connector.plugin.version", { defaultValue: descriptor.version, recommender: pluginVersionRecommender(descriptor.version) }]]);
  const worker = options.workerConverters ?? {};
  for (const role of CONVERTER_ROLES) {
    const workerClass = worker[role.worker] ?? null;
    // Kafka: no default when neither the connector nor the worker names a converter.
    overrides.set(role.property, { defaultValue: workerClass, recommender: classRecommender(registry, role.kind) });
    const inEffect = props[role.property] ?? workerClass;
    const version = inEffect === null ? null : (registry.find(role.kind, inEffect)?.version ?? null);
    overrides.set(`${role.property}.plugin.version`, { defaultValue: version, recommender: converterVersionRecommender(version) });
  }
  return redefineKeys(connectorConfigDef(descriptor.kind), overrides);
}

/** Kafka's SinkConnectorConfig.validate: exactly one of topics / topics.regex, and the DLQ topic not among them. */
function validateSinkTopics(props: RawConnectorConfig, values: Map<string, ConfigValue>): void {
  const addError = (name: string, value: string | null | undefined, message: string): void => {
    let v = values.get(name);
    if (!v) values.set(name, (v = new ConfigValue(name, value ?? null)));
    v.addErrorMessage(message);
  };
  const blank = (s: string | null | undefined): boolean => s == null || s.trim() === "";
  const topics = props["topics"];
  const regex = props["topics.regex"];
  const dlq = (props["errors.deadletterqueue.topic.name"] ?? "").trim();
  if (!blank(topics) && !blank(regex)) {
    const message = "topics and topics.regex are mutually exclusive options, but both are set.";
    addError("topics", topics, message);
    addError("topics.regex", regex, message);
  }
  if (blank(topics) && blank(regex)) {
    const message = "Must configure one of topics or topics.regex";
    addError("topics", topics, message);
    addError("topics.regex", regex, message);
  }
  if (dlq !== "") {
    if (!blank(topics)) {
      const list = [...new Set((parseType("topics", topics, "LIST") as string[]).filter((t) => t !== ""))];
      if (list.includes(dlq)) addError("topics", topics, `The DLQ topic '${dlq}' may not be included in the list of topics ('topics=${javaListText(list)}') consumed by the connector`);
    }
    if (!blank(regex)) {
      let matches: boolean;
      try {
        matches = new RegExp(`^(?:${regex})$`).test(dlq);
      } catch {
        matches = false;
      }
      if (matches) addError("topics.regex", regex, `The DLQ topic '${dlq}' may not be matched by the regex for the topics ('topics.regex=${regex}') consumed by the connector`);
    }
  }
}

/**
 * Kafka's AbstractHerder.generateResult: values without a key first, then every key in order.
 * The hub's internal keys (its extensions, e.g. a source dead letter queue) are listed only when
 * they have errors, so that a config Kafka would accept gets Kafka's exact answer.
 */
function generateResult(connType: string, keys: ReadonlyMap<string, ConfigKey>, values: readonly ConfigValue[], groups: string[]): ConfigInfos {
  let errorCount = 0;
  const configs: ConfigInfo[] = [];
  const byName = new Map<string, ConfigValue>();
  for (const value of values) {
    byName.set(value.name, value);
    if (!keys.has(value.name)) {
      configs.push({ definition: null, value: configValueToJson(value, null) });
      errorCount += value.errors.length;
    }
  }
  for (const [name, key] of keys) {
    const value = byName.get(name);
    if (key.internalConfig && !value?.errors.length) continue;
    configs.push({ definition: configKeyInfo(key), value: value ? configValueToJson(value, key.type) : null });
    if (value) errorCount += value.errors.length;
  }
  return { name: connType, error_count: errorCount, groups, configs };
}

/** Kafka's prefixedConfigInfos: a plugin's own validation under its prefix; counts configs with errors. */
function prefixedConfigInfos(keys: ReadonlyMap<string, ConfigKey>, values: readonly ConfigValue[], prefix: string): ConfigInfos {
  let errorCount = 0;
  const groups: string[] = [];
  const configs: ConfigInfo[] = [];
  for (const value of values) {
    const key = keys.get(value.name);
    let definition = null;
    if (key) {
      if (key.group !== null && !groups.includes(key.group)) groups.push(key.group);
      definition = { ...configKeyInfo(key), name: prefix + key.name };
    }
    const prefixed = new ConfigValue(prefix + value.name, value.value, value.recommendedValues, [...value.errors]);
    if (prefixed.errors.length > 0) errorCount++;
    configs.push({ definition, value: configValueToJson(prefixed, key ? key.type : null) });
  }
  return { name: "", error_count: errorCount, groups, configs };
}

function mergeConfigInfos(connType: string, parts: ReadonlyArray<ConfigInfos | null>): ConfigInfos {
  let errorCount = 0;
  const groups: string[] = [];
  const configs: ConfigInfo[] = [];
  for (const part of parts) {
    if (!part) continue;
    errorCount += part.error_count;
    configs.push(...part.configs);
    for (const g of part.groups) if (!groups.includes(g)) groups.push(g);
  }
  return { name: connType, error_count: errorCount, groups, configs };
}

/** Unknown converter classes are errors on the converter key (Kafka: the CLASS type fails to load them). */
function checkConverterClasses(registry: PluginRegistry, props: RawConnectorConfig, values: Map<string, ConfigValue>): void {
  for (const role of CONVERTER_ROLES) {
    const className = props[role.property];
    const value = values.get(role.property);
    if (className == null || !value || value.errors.length > 0) continue;
    if (registry.find(role.kind, className)) continue;
    value.addErrorMessage(`Invalid value ${className} for configuration ${role.property}: Class ${className} could not be found.`);
    // Kafka's CLASS type fails to load the class: no value.
    value.value = null;
  }
}

/** The aliases a list key names (`transforms`, `predicates`), as the enrichment reads them. */
function aliasesOf(props: Readonly<Record<string, string>>, listKey: string): string[] {
  const raw = props[listKey];
  if (raw === undefined || raw.trim() === "") return [];
  return [...new Set(raw.split(",").map((a) => a.trim()).filter((a) => a !== ""))];
}

/**
 * Per transformation and predicate alias: an unknown `type` has no value (Kafka's CLASS type
 * fails to load it); a `plugin.version` that does not parse, or that the plugin's version does
 * not satisfy, is Kafka's error on both the alias's `type` and its `plugin.version`.
 */
function checkAliases(registry: PluginRegistry, props: Readonly<Record<string, string>>, values: Map<string, ConfigValue>): void {
  const lists: ReadonlyArray<readonly [string, PluginKind]> = [
    ["transforms", "transformation"],
    ["predicates", "predicate"],
  ];
  for (const [listKey, kind] of lists) {
    for (const alias of aliasesOf(props, listKey)) {
      const typeValue = values.get(`${listKey}.${alias}.type`);
      const versionValue = values.get(`${listKey}.${alias}.plugin.version`);
      const className = props[`${listKey}.${alias}.type`];
      const descriptor = (className === undefined ? undefined : registry.find(kind, className)) as AnyPluginDescriptor | undefined;
      if (!descriptor && typeValue && typeValue.errors.length > 0) typeValue.value = null;
      if (!descriptor || !typeValue || !versionValue || typeValue.errors.length > 0 || versionValue.errors.length > 0) continue;
      const problem = pluginVersionProblem(displayClass(descriptor), props[`${listKey}.${alias}.plugin.version`], descriptor.version);
      if (problem === null) continue;
      typeValue.addErrorMessage(problem);
      versionValue.addErrorMessage(problem);
    }
  }
}

/**
 * A converter's `plugin.version` must parse (Maven's message when it does not). As in Kafka
 * 4.3, it is checked against the converter's version only when the connector config names the
 * converter (validateConverter).
 */
function checkConverterVersions(props: RawConnectorConfig, values: Map<string, ConfigValue>): void {
  for (const role of CONVERTER_ROLES) {
    const key = `${role.property}.plugin.version`;
    const value = values.get(key);
    if (!value || value.errors.length > 0) continue;
    try {
      versionRequirement(props[key]);
    } catch (e) {
      if (!(e instanceof InvalidVersionSpecError)) throw e;
      value.addErrorMessage(e.message);
    }
  }
}

/**
 * A `connector.plugin.version` no installed version satisfies: as Kafka, the config is checked
 * against the common keys only (the connector cannot be loaded, so neither its own keys nor the
 * source/sink ones apply), with the error on `connector.class` and `connector.plugin.version`.
 */
function unresolvedConnectorResult(connType: string, descriptor: AnyPluginDescriptor, props: RawConnectorConfig, message: string): ConfigInfos {
  const overrides = new Map<string, KeyOverride>([["connector.plugin.version", { defaultValue: descriptor.version, recommender: pluginVersionRecommender(descriptor.version) }]]);
  for (const role of CONVERTER_ROLES) overrides.set(`${role.property}.plugin.version`, { recommender: converterVersionRecommender(null) });
  const def = redefineKeys(connectorConfigDef("unknown"), overrides);
  const values = def.validateAll(props);
  for (const name of ["connector.class", "connector.plugin.version"]) values.get(name)?.addErrorMessage(message);
  addNullValueErrors(props, values);
  return generateResult(connType, def.configKeys(), [...values.values()], def.groups());
}

/** Kafka refuses JSON nulls as config values, one error per key. */
function addNullValueErrors(props: RawConnectorConfig, values: Map<string, ConfigValue>): void {
  for (const [key, value] of Object.entries(props)) {
    if (value !== null) continue;
    let v = values.get(key);
    if (!v) values.set(key, (v = new ConfigValue(key)));
    v.addErrorMessage(NULL_VALUE_ERROR);
  }
}

/** A converter named in the connector config, validated with its own ConfigDef under its prefix. */
function validateConverter(registry: PluginRegistry, props: RawConnectorConfig, values: Map<string, ConfigValue>, role: ConverterRole): ConfigInfos | null {
  const className = props[role.property];
  const value = values.get(role.property);
  const versionValue = values.get(`${role.property}.plugin.version`);
  if (className == null || !value || value.errors.length > 0 || (versionValue?.errors.length ?? 0) > 0) return null;
  const descriptor = registry.find(role.kind, className) as AnyPluginDescriptor | undefined;
  if (!descriptor) return null;
  // A converter the connector names must meet the version it asks for (Kafka: it cannot be
  // loaded otherwise); one inherited from the worker is not checked.
  const versionProblem = pluginVersionProblem(displayClass(descriptor), props[`${role.property}.plugin.version`], descriptor.version);
  if (versionProblem !== null) {
    value.addErrorMessage(versionProblem);
    versionValue?.addErrorMessage(versionProblem);
    return null;
  }
  const prefix = `${role.property}.`;
  const pluginProps: Record<string, string | null> = {};
  for (const [k, v] of Object.entries(props)) if (k.startsWith(prefix)) pluginProps[k.slice(prefix.length)] = v;
  pluginProps["converter.type"] ??= role.converterType;
  const def = descriptor.configDef;
  return prefixedConfigInfos(def.configKeys(), def.validate(pluginProps), prefix);
}

/**
 * Validates a connector config. Throws BadRequestError when it names no connector class or an
 * unknown one (as Kafka does, before any per-key validation); otherwise returns every key's result.
 */
export async function validateConnectorConfig(registry: PluginRegistry, props: RawConnectorConfig, options: ConnectorValidationOptions = {}): Promise<ConfigInfos> {
  const descriptor = requireConnectorPlugin(registry, props);
  const connType = props["connector.class"] as string;
  // A connector version spec that does not parse fails the request (Kafka: a BadRequestException);
  // one the plugin does not satisfy is a validation error.
  try {
    versionRequirement(props["connector.plugin.version"]);
  } catch (e) {
    if (e instanceof InvalidVersionSpecError) throw new BadRequestError(e.message);
    throw e;
  }
  const versionProblem = pluginVersionProblem(displayClass(descriptor), props["connector.plugin.version"], descriptor.version);
  if (versionProblem !== null) return unresolvedConnectorResult(connType, descriptor, props, versionProblem);
  const connector = descriptor.create();
  const base = connectorBaseConfigDef(registry, descriptor, props, options);
  const nonNullProps: Record<string, string> = {};
  for (const [k, v] of Object.entries(props)) if (v !== null) nonNullProps[k] = v;
  const enriched = enrichConnectorConfigDef(registry, base, nonNullProps, false);

  const validated = new Map<string, ConfigValue>();
  for (const value of enriched.validate(props)) validated.set(value.name, value);
  if (descriptor.kind === "sink") validateSinkTopics(props, validated);
  options.extraChecks?.(descriptor.kind, validated, props);
  addNullValueErrors(props, validated);
  checkConverterClasses(registry, props, validated);
  checkConverterVersions(props, validated);
  checkAliases(registry, nonNullProps, validated);

  // The converters the config names, before the result is built: they may add errors to the
  // converter keys.
  const converterInfos = mergeConfigInfos(connType, CONVERTER_ROLES.map((role) => validateConverter(registry, props, validated, role)));

  // The connector's own keys and its validate() (which may add cross-key errors).
  const ownDef = connector.config();
  const ownConfig = await connector.validate(props as ConnectorProps);
  const keys = new Map<string, ConfigKey>(enriched.configKeys());
  for (const [name, key] of ownDef.configKeys()) keys.set(name, key);
  const groups = [...enriched.groups()];
  for (const g of ownDef.groups()) if (!groups.includes(g)) groups.push(g);
  const connectorInfos = generateResult(connType, keys, [...validated.values(), ...ownConfig.configValues], groups);

  return mergeConfigInfos(connType, [connectorInfos, converterInfos]);
}

/** Kafka's 400 message for a config with errors (AbstractHerder.maybeAddConfigErrors), or null. */
export function configErrorsMessage(infos: ConfigInfos): string | null {
  if (infos.error_count <= 0) return null;
  const lines = [`Connector configuration is invalid and contains the following ${infos.error_count} error(s):`];
  for (const info of infos.configs) for (const error of info.value?.errors ?? []) lines.push(error);
  lines.push("You can also find the above list of errors at the endpoint `/connector-plugins/{connectorType}/config/validate`");
  return lines.join("\n");
}

/** Validates and throws BadRequestError with Kafka's message when the config has errors. */
export async function assertValidConnectorConfig(registry: PluginRegistry, props: RawConnectorConfig, options: ConnectorValidationOptions = {}): Promise<ConfigInfos> {
  const infos = await validateConnectorConfig(registry, props, options);
  const message = configErrorsMessage(infos);
  if (message !== null) throw new BadRequestError(message);
  return infos;
}
