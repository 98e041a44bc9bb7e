// FileStreamSourceConnector: hands its whole config to a single task whatever tasks.max says
// (one file has one reader), and checks offsets that users alter through
// PATCH/DELETE /connectors/{name}/offsets (KIP-875) with Kafka's rules and messages.
import { type ConfigDef, ConnectException, type ConnectorProps, type SourceOffsetChange, SourceConnector, type TaskClass, type SourceTask } from "../../connect/api/index.ts";
import { HUB_VERSION } from "../../lib/version.ts";
import { FILE_STREAM_SOURCE_CONFIG, FILENAME_FIELD, parseSourceSettings, POSITION_FIELD } from "./config.ts";
import { FileStreamSourceTask } from "./source-task.ts";

export class FileStreamSourceConnector extends SourceConnector {
  #props: ConnectorProps = {};

  override version(): string {
    return HUB_VERSION;
  }

  override start(props: ConnectorProps): void {
    parseSourceSettings(props);
    this.#props = props;
  }

  override taskClass(): TaskClass<SourceTask> {
    return FileStreamSourceTask;
  }

  override taskConfigs(_maxTasks: number): ConnectorProps[] {
    return [{ ...this.#props }];
  }

  override stop(): void {}

  override config(): ConfigDef {
    return FILE_STREAM_SOURCE_CONFIG;
  }

  /**
   * Accepts only offsets the task can resume from: {"filename": ...} → {"position": n >= 0}, or
   * null to forget a file. Checked in Kafka's order, with its messages (REST answers 500).
   */
  override alterOffsets(connectorConfig: ConnectorProps, offsets: readonly SourceOffsetChange[]): boolean {
    if (parseSourceSettings(connectorConfig).file === null) {
      throw new ConnectException("Offsets cannot be modified if the 'file' configuration is unspecified. This is because stdin is used for input and offsets are not tracked.");
    }
    for (const { partition, offset } of offsets) {
      if (offset === null) continue;
      if (!Object.hasOwn(offset, POSITION_FIELD)) throw new ConnectException(`Offset objects should either be null or contain the key '${POSITION_FIELD}'`);
      const position = offset[POSITION_FIELD];
      const integral = typeof position === "bigint" || (typeof position === "number" && Number.isInteger(position));
      if (!integral) throw new ConnectException(`The value for the '${POSITION_FIELD}' key in the offset is expected to be a Long value`);
      if (position < 0) throw new ConnectException(`The value for the '${POSITION_FIELD}' key in the offset should be a non-negative value`);
      if (partition === null || partition === undefined) throw new ConnectException("Partition objects cannot be null");
      if (!Object.hasOwn(partition, FILENAME_FIELD)) throw new ConnectException(`Partition objects should contain the key '${FILENAME_FIELD}'`);
    }
    return true;
  }
}
