// ElasticsearchSinkConnector: tasks.max tasks, each with the connector's config (the runtime
// spreads the topics' partitions over them). Offsets live in Kafka only, so any change users
// make to them is fine (KIP-875).
import { type ConfigDef, type ConnectorProps, SinkConnector, type SinkOffsetChange, type SinkTask, type TaskClass } from "../../connect/api/index.ts";
import { HUB_VERSION } from "../../lib/version.ts";
import { ELASTICSEARCH_SINK_CONFIG, parseElasticsearchSinkSettings } from "./config.ts";
import { ElasticsearchSinkTask } from "./sink-task.ts";

export class ElasticsearchSinkConnector extends SinkConnector {
  #props: ConnectorProps = {};

  override version(): string {
    return HUB_VERSION;
  }

  override start(props: ConnectorProps): void {
    parseElasticsearchSinkSettings(props);
    this.#props = props;
  }

  override taskClass(): TaskClass<SinkTask> {
    return ElasticsearchSinkTask;
  }

  override taskConfigs(maxTasks: number): ConnectorProps[] {
    return Array.from({ length: maxTasks }, () => ({ ...this.#props }));
  }

  override stop(): void {}

  override config(): ConfigDef {
    return ELASTICSEARCH_SINK_CONFIG;
  }

  override alterOffsets(_connectorConfig: ConnectorProps, _offsets: readonly SinkOffsetChange[]): boolean {
    return true;
  }
}
