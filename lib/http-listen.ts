// Binds a REST server (fastify) to a listener and tells the URL others reach it on: the bound
// port (the listener may ask for 0), loopback for a wildcard host, brackets for IPv6.
import type { FastifyInstance } from "fastify";
import type { Listener } from "./listeners.ts";

export async function listenOn(app: FastifyInstance, listener: Listener): Promise<string> {
  await app.listen({ host: listener.host, port: listener.port });
  const address = app.server.address();
  const port = typeof address === "object" && address !== null ? address.port : listener.port;
  const host = listener.host === "0.0.0.0" ? "127.0.0.1" : listener.host.includes(":") ? `[${listener.host}]` : listener.host;
  return `${listener.scheme.toLowerCase() === "https" ? "https" : "http"}://${host}:${port}`;
}
