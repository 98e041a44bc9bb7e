// Standalone mode's config store (Kafka's MemoryConfigBackingStore): connector configs, target
// states and task configs live in this process only. Updates are synchronous, so a herder reads
// its own writes back from snapshot() at once; the listener is told of each change as Kafka's is.
import type { TargetState } from "../runtime/herder/herder.ts";
import type { ConnectorId } from "../runtime/herder/entities.ts";
import type { ClusterConfigState, ConfigBackingStore, ConfigUpdateListener } from "./types.ts";

interface ConnectorEntry {
  config: Record<string, string>;
  targetState: TargetState;
  tasks: ReadonlyArray<Record<string, string>>;
}

export class MemoryConfigStore implements ConfigBackingStore {
  readonly #connectors = new Map<string, ConnectorEntry>();
  #listener: ConfigUpdateListener | null = null;

  async start(): Promise<void> {}
  async stop(): Promise<void> {}

  setUpdateListener(listener: ConfigUpdateListener): void {
    this.#listener = listener;
  }

  snapshot(): ClusterConfigState {
    const connectorConfigs = new Map<string, Record<string, string>>();
    const targetStates = new Map<string, TargetState>();
    const taskConfigs = new Map<string, ReadonlyArray<Record<string, string>>>();
    for (const [name, entry] of this.#connectors) {
      connectorConfigs.set(name, { ...entry.config });
      targetStates.set(name, entry.targetState);
      taskConfigs.set(name, entry.tasks.map((t) => ({ ...t })));
    }
    return { offset: -1, connectorConfigs, targetStates, taskConfigs };
  }

  async refresh(_timeoutMs: number): Promise<void> {}

  /** A new connector starts in targetState (default STARTED); an existing one keeps its state unless one is given. */
  async putConnectorConfig(connector: string, config: Record<string, string>, targetState?: TargetState): Promise<void> {
    const existing = this.#connectors.get(connector);
    this.#connectors.set(connector, {
      config: { ...config },
      targetState: targetState ?? existing?.targetState ?? "STARTED",
      tasks: existing?.tasks ?? [],
    });
    this.#listener?.onConnectorConfigUpdate(connector);
  }

  async removeConnectorConfig(connector: string): Promise<void> {
    if (!this.#connectors.delete(connector)) return;
    this.#listener?.onConnectorConfigRemove(connector);
  }

  async putTaskConfigs(connector: string, configs: ReadonlyArray<Record<string, string>>): Promise<void> {
    const entry = this.#connectors.get(connector);
    if (!entry) throw new Error(`Cannot put task configs for unknown connector ${connector}`);
    const previous = entry.tasks.length;
    entry.tasks = configs.map((c) => ({ ...c }));
    const ids: ConnectorId[] = [];
    for (let task = 0; task < Math.max(previous, configs.length); task++) ids.push({ connector, task });
    this.#listener?.onTaskConfigUpdate(ids);
  }

  async putTargetState(connector: string, state: TargetState): Promise<void> {
    const entry = this.#connectors.get(connector);
    if (!entry) throw new Error(`Cannot set the target state of unknown connector ${connector}`);
    entry.targetState = state;
    this.#listener?.onConnectorTargetStateChange(connector);
  }
}
