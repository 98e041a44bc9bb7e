// DatagenConnector: tasks.max tasks, each told its task.id (its source partition, and what
// makes its data differ from the other tasks' under one random.seed).
import { type ConfigDef, type ConnectorProps, SourceConnector, type SourceTask, type TaskClass } from "../../connect/api/index.ts";
import { HUB_VERSION } from "../../lib/version.ts";
import { DATAGEN_CONFIG, parseDatagenSettings, TASK_ID_CONFIG } from "./config.ts";
import { DatagenTask } from "./source-task.ts";

export class DatagenConnector extends SourceConnector {
  #props: ConnectorProps = {};

  override version(): string {
    return HUB_VERSION;
  }

  override start(props: ConnectorProps): void {
    parseDatagenSettings(props);
    this.#props = props;
  }

  override taskClass(): TaskClass<SourceTask> {
    return DatagenTask;
  }

  override taskConfigs(maxTasks: number): ConnectorProps[] {
    return Array.from({ length: maxTasks }, (_, i) => ({ ...this.#props, [TASK_ID_CONFIG]: String(i) }));
  }

  override stop(): void {}

  override config(): ConfigDef {
    return DATAGEN_CONFIG;
  }
}
