// A REST listener for a part that is not built yet: it binds the part's real address and
// answers its root resource, and every other path gets 501 with the error body shape the
// real API uses ({"error_code", "message"}), so a user sees plainly what is missing.
import Fastify from "fastify";
import type { Component } from "./lifecycle.ts";
import type { Listener } from "./listeners.ts";
import type { Logger } from "./logger.ts";

export interface PlaceholderRestOptions {
  name: string;
  listener: Listener;
  root: Record<string, unknown>;
  notBuilt: string;
  log: Logger;
}

export async function startPlaceholderRest(opts: PlaceholderRestOptions): Promise<Component & { url: string }> {
  const app = Fastify({ logger: false });
  app.get("/", async () => opts.root);
  app.setNotFoundHandler(async (request, reply) =>
    reply.code(501).send({ error_code: 501, message: `${request.method} ${request.url}: ${opts.notBuilt}` }),
  );
  await app.listen({ host: opts.listener.host, port: opts.listener.port });
  const url = `http://${opts.listener.host}:${opts.listener.port}`;
  opts.log.info({ url }, `${opts.name} REST listening`);
  opts.log.warn(opts.notBuilt);
  return { name: opts.name, url, stop: () => app.close() };
}
