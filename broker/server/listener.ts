// The Kafka protocol listener: accepts connections and hands each to a Connection.
import { createServer, type Server } from "node:net";
import type { Logger } from "../../lib/logger.ts";
import { Connection, type ConnectionOptions, type Dispatcher } from "./connection.ts";

export interface KafkaListener {
  readonly host: string;
  readonly port: number;
  connectionCount(): number;
  close(): Promise<void>;
}

export async function listen(host: string, port: number, dispatch: Dispatcher, options: ConnectionOptions, log: Logger): Promise<KafkaListener> {
  const connections = new Set<Connection>();
  let nextId = 1;
  const server: Server = createServer((socket) => {
    const conn: Connection = new Connection(nextId++, socket, dispatch, options, log, () => connections.delete(conn));
    connections.add(conn);
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const address = server.address();
  const boundPort = typeof address === "object" && address ? address.port : port;
  return {
    host,
    port: boundPort,
    connectionCount: () => connections.size,
    close: () =>
      new Promise<void>((resolve) => {
        for (const conn of connections) conn.close("broker shutting down");
        server.close(() => resolve());
      }),
  };
}
