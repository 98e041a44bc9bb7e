// A connector's Single Message Transforms (Kafka's TransformationChain and TransformationStage):
// `transforms` lists aliases in order; each alias names its plugin with `transforms.<alias>.type`
// and is configured with its `transforms.<alias>.*` keys (prefix removed); with
// `transforms.<alias>.predicate` it applies only to records the predicate (configured from
// `predicates.<name>.*`) matches — or, with `transforms.<alias>.negate=true`, does not match. Each
// stage gets its own predicate instance, as in Kafka. A stage that returns null drops the record
// and ends the chain.
import { type ConnectRecord, ConfigException, type Predicate, type Transformation } from "../api/index.ts";
import { connectorConfigDef, enrichConnectorConfigDef } from "./config/connector-config.ts";
import type { Failed, RetryWithToleranceOperator } from "./errors/retry-with-tolerance-operator.ts";
import { FAILED } from "./errors/retry-with-tolerance-operator.ts";
import { type ProcessingContext, Stage } from "./errors/processing-context.ts";
import { displayClass, type PluginRegistry } from "./plugins/registry.ts";

export interface TransformationStage<R extends ConnectRecord> {
  readonly alias: string;
  /** The class name errors report (Kafka's class name where the plugin stands in for one). */
  readonly className: string;
  readonly transformation: Transformation<R>;
  readonly predicate: Predicate<R> | null;
  readonly predicateAlias: string | null;
  readonly negate: boolean;
}

/** One stage on one record: the predicate decides, then the transformation runs (or not). */
export function applyStage<R extends ConnectRecord>(stage: TransformationStage<R>, record: R): R | null {
  if (stage.predicate === null || stage.negate !== stage.predicate.test(record)) return stage.transformation.apply(record);
  return record;
}

export class TransformationChain<R extends ConnectRecord = ConnectRecord> {
  readonly stages: readonly TransformationStage<R>[];

  constructor(stages: readonly TransformationStage<R>[]) {
    this.stages = stages;
  }

  get isEmpty(): boolean {
    return this.stages.length === 0;
  }

  /** Applies the chain, letting errors through: the record, or null when a stage dropped it. */
  applyDirect(record: R): R | null {
    let current: R | null = record;
    for (const stage of this.stages) {
      current = applyStage(stage, current);
      if (current === null) break;
    }
    return current;
  }

  /**
   * Applies the chain with the task's error handling (stage TRANSFORMATION): the record, null
   * when a stage dropped it, or FAILED when a stage failed and that is tolerated.
   */
  async apply(record: R, operator: RetryWithToleranceOperator, context: ProcessingContext): Promise<R | null | Failed> {
    let current: R | null = record;
    for (const stage of this.stages) {
      const input: R = current;
      const result: R | null | Failed = await operator.execute(context, Stage.TRANSFORMATION, stage.className, () => applyStage(stage, input));
      if (result === FAILED) return FAILED;
      current = result;
      if (current === null) break;
    }
    return current;
  }

  /**
   * apply() for the per-record hot path (RetryWithToleranceOperator.run): synchronous while every
   * stage succeeds at once, a promise only when one failed or returned one. `context` creates the
   * record's ProcessingContext when a failure needs it.
   */
  applyFast(record: R, operator: RetryWithToleranceOperator, context: () => ProcessingContext): R | null | Failed | Promise<R | null | Failed> {
    let current: R | null = record;
    const stages = this.stages;
    for (let i = 0; i < stages.length; i++) {
      const stage = stages[i] as TransformationStage<R>;
      const input: R = current;
      const result: R | null | Promise<R | null | Failed> = operator.run(context, Stage.TRANSFORMATION, stage.className, () => applyStage(stage, input));
      if (result instanceof Promise) return this.#continue(result, i + 1, operator, context);
      current = result;
      if (current === null) return null;
    }
    return current;
  }

  async #continue(pending: Promise<R | null | Failed>, next: number, operator: RetryWithToleranceOperator, context: () => ProcessingContext): Promise<R | null | Failed> {
    const result = await pending;
    if (result === FAILED || result === null) return result;
    let current: R = result;
    for (let i = next; i < this.stages.length; i++) {
      const stage = this.stages[i] as TransformationStage<R>;
      const input = current;
      const r = await operator.run(context, Stage.TRANSFORMATION, stage.className, () => applyStage(stage, input));
      if (r === FAILED || r === null) return r;
      current = r;
    }
    return current;
  }

  close(): void {
    for (const stage of this.stages) {
      stage.transformation.close();
      stage.predicate?.close();
    }
  }
}

function withPrefix(props: Readonly<Record<string, string>>, prefix: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(props)) if (k.startsWith(prefix)) out[k.slice(prefix.length)] = v;
  return out;
}

/**
 * The chain a connector config describes. The config is validated first (the enriched
 * definition: every alias must name a known plugin and satisfy its ConfigDef); plugins are
 * created and configured from the registry. Throws ConfigException for bad configs.
 */
export function buildTransformationChain<R extends ConnectRecord>(registry: PluginRegistry, props: Readonly<Record<string, string>>, kind: "source" | "sink"): TransformationChain<R> {
  const values = enrichConnectorConfigDef(registry, connectorConfigDef(kind), props, true).parse(props);
  const aliases = (values.transforms as string[] | null) ?? [];
  const predicateAliases = new Set((values.predicates as string[] | null) ?? []);
  const stages: TransformationStage<R>[] = [];
  try {
    for (const alias of aliases) {
      const prefix = `transforms.${alias}.`;
      const descriptor = registry.require("transformation", String(values[`${prefix}type`]));
      const configs = withPrefix(props, prefix);
      const predicateAlias = configs.predicate?.trim() || null;
      // Kafka accepts negate without a predicate and ignores it; so does the hub.
      const negate = (values[`${prefix}negate`] as boolean | undefined) ?? false;
      delete configs.predicate;
      delete configs.negate;
      let predicate: Predicate<R> | null = null;
      if (predicateAlias !== null) {
        if (!predicateAliases.has(predicateAlias)) {
          throw new ConfigException(`${prefix}predicate`, predicateAlias, `There is no predicate named '${predicateAlias}' in 'predicates'`);
        }
        const predicatePrefix = `predicates.${predicateAlias}.`;
        const predicateDescriptor = registry.require("predicate", String(values[`${predicatePrefix}type`]));
        predicate = predicateDescriptor.create() as Predicate<R>;
        predicate.configure(withPrefix(props, predicatePrefix));
      }
      const transformation = descriptor.create() as Transformation<R>;
      transformation.configure(configs);
      stages.push({ alias, className: displayClass(descriptor), transformation, predicate, predicateAlias, negate });
    }
  } catch (e) {
    new TransformationChain(stages).close();
    throw e;
  }
  return new TransformationChain(stages);
}
