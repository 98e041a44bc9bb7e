// FileStreamSinkConnector: tasks.max tasks, all with the connector's config (they append to the
// same file). Offsets live in Kafka only, so any change users make to them is fine (KIP-875).
import { type ConfigDef, type ConnectorProps, SinkConnector, type SinkOffsetChange, type SinkTask, type TaskClass } from "../../connect/api/index.ts";
import { HUB_VERSION } from "../../lib/version.ts";
import { FILE_STREAM_SINK_CONFIG, parseSinkFile } from "./config.ts";
import { FileStreamSinkTask } from "./sink-task.ts";

export class FileStreamSinkConnector extends SinkConnector {
  #props: ConnectorProps = {};

  override version(): string {
    return HUB_VERSION;
  }

  override start(props: ConnectorProps): void {
    parseSinkFile(props);
    this.#props = props;
  }

  override taskClass(): TaskClass<SinkTask> {
    return FileStreamSinkTask;
  }

  override taskConfigs(maxTasks: number): ConnectorProps[] {
    return Array.from({ length: maxTasks }, () => ({ ...this.#props }));
  }

  override stop(): void {}

  override config(): ConfigDef {
    return FILE_STREAM_SINK_CONFIG;
  }

  override alterOffsets(_connectorConfig: ConnectorProps, _offsets: readonly SinkOffsetChange[]): boolean {
    return true;
  }
}
