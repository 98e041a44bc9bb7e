// Status answers (GET /connectors/{name}/status, .../tasks/{id}/status) from the status store's
// records, and the `trace` text of a failure. Both herders use these.
import type { ConnectorStatus, TaskStatus } from "../../storage/types.ts";
import type { ConnectorStateInfo, ConnectorStateJson, ConnectorType, TaskStateInfo } from "./entities.ts";

/** A failure's trace as Kafka shows it: the stack, then each cause's ("Caused by: ..."). */
export function errorTrace(error: unknown): string {
  const lines: string[] = [];
  let current: unknown = error;
  const seen = new Set<unknown>();
  while (current !== undefined && current !== null && !seen.has(current)) {
    seen.add(current);
    const text = current instanceof Error ? (current.stack ?? `${current.name}: ${current.message}`) : String(current);
    lines.push(lines.length === 0 ? text : `Caused by: ${text}`);
    current = current instanceof Error ? current.cause : undefined;
  }
  return lines.join("\n");
}

function stateJson(status: ConnectorStatus | TaskStatus, version: string | undefined): ConnectorStateJson {
  const json: ConnectorStateJson = { state: status.state, worker_id: status.workerId };
  if (status.trace !== null) json.trace = status.trace;
  if (version !== undefined) json.version = version;
  return json;
}

export function taskStateInfo(status: TaskStatus, version?: string): TaskStateInfo {
  return { id: status.id.task, ...stateJson(status, version) };
}

export function connectorStateInfo(name: string, connector: ConnectorStatus, tasks: readonly TaskStatus[], type: ConnectorType, version?: string): ConnectorStateInfo {
  return {
    name,
    connector: stateJson(connector, version),
    tasks: [...tasks].sort((a, b) => a.id.task - b.id.task).map((t) => taskStateInfo(t, version)),
    type,
  };
}
