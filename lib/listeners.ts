// Parses Kafka-style listener lists ("PLAINTEXT://127.0.0.1:9092,http://:8083") into
// host/port pairs. An empty host means "all interfaces" in Kafka; here it maps to 0.0.0.0.
export interface Listener {
  scheme: string;
  host: string;
  port: number;
}

export class ListenerError extends Error {
  override name = "ListenerError";
}

export function parseListeners(value: string, key = "listeners"): Listener[] {
  return value
    .split(",")
    .map((s) => s.trim())
    .filter((s) => s !== "")
    .map((entry) => {
      const match = /^([A-Za-z_][A-Za-z0-9_]*):\/\/(\[[^\]]*\]|[^:/]*):(\d+)$/.exec(entry);
      if (!match) throw new ListenerError(`${key}: '${entry}' is not of the form NAME://host:port`);
      const port = Number(match[3]);
      if (port > 65535) throw new ListenerError(`${key}: port ${port} in '${entry}' is out of range`);
      const host = (match[2] ?? "").replace(/^\[|\]$/g, "");
      return { scheme: match[1] ?? "", host: host === "" ? "0.0.0.0" : host, port };
    });
}

export function firstListener(value: string, key = "listeners"): Listener {
  const [first] = parseListeners(value, key);
  if (!first) throw new ListenerError(`${key} is empty`);
  return first;
}
