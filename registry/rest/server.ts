// The Schema Registry's REST server: fastify with Confluent's routes, media types and error
// answers. Routes translate HTTP to RegistryService calls; this file wires them, reads bodies as
// text (the routes parse them, so that a malformed body gets Confluent's answer), maps every
// error to {"error_code", "message"} — never a stack trace — and answers unknown paths and
// methods with Jersey's 404 and 405.
import Fastify, { type FastifyError, type FastifyInstance } from "fastify";
import type { Listener } from "../../lib/listeners.ts";
import { listenOn, routedPaths } from "../../lib/http-server.ts";
import type { Logger } from "../../lib/logger.ts";
import { RegistryError } from "../errors.ts";
import type { RegistryService } from "../service.ts";
import { httpError, negotiate, type RegistryRestContext, sendError } from "./context.ts";
import { registerCompatibilityRoutes } from "./routes/compatibility.ts";
import { registerConfigRoutes } from "./routes/config.ts";
import { registerSchemaRoutes } from "./routes/schemas.ts";
import { registerSubjectRoutes } from "./routes/subjects.ts";

export interface RegistryRestOptions {
  readonly service: RegistryService;
  readonly log: Logger;
  /** How long a write forwarded to the leader may take (Confluent's leader.read.timeout.ms). */
  readonly forwardTimeoutMs?: number;
  /** The largest request body read (larger ones answer 413 unread). */
  readonly bodyLimit?: number;
}

export interface RegistryRestServer {
  readonly app: FastifyInstance;
  /** Binds the listener; resolves with the URL the server answers on (the bound port for port 0). */
  listen(listener: Listener): Promise<string>;
  close(): Promise<void>;
}

export function createRegistryRestServer(options: RegistryRestOptions): RegistryRestServer {
  const ctx: RegistryRestContext = { service: options.service, log: options.log, forwardTimeoutMs: options.forwardTimeoutMs ?? 60_000 };
  const log = options.log;
  const app = Fastify({
    logger: false,
    routerOptions: { ignoreTrailingSlash: true, ignoreDuplicateSlashes: true, maxParamLength: 10_000 },
    bodyLimit: options.bodyLimit ?? 64 * 1024 * 1024,
  });
  const hasRoute = routedPaths(app);

  // Bodies are read as text whatever their media type; the routes that take one check the type.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser("*", { parseAs: "string" }, (_request, body, done) => done(null, body));

  app.addHook("onRequest", async (request, reply) => {
    if (negotiate(request.headers.accept) === null) return sendError(request, reply, httpError(406));
    return undefined;
  });

  app.setErrorHandler((error: FastifyError | RegistryError, request, reply) => {
    if (error instanceof RegistryError) {
      if (error.status >= 500) log.warn({ method: request.method, url: request.url, errorCode: error.errorCode, message: error.message, err: error.cause }, "REST request failed");
      else log.debug({ method: request.method, url: request.url, errorCode: error.errorCode, message: error.message }, "REST request refused");
      return sendError(request, reply, error);
    }
    if (error.code === "FST_ERR_CTP_INVALID_MEDIA_TYPE") return sendError(request, reply, httpError(415));
    if (error.code === "FST_ERR_CTP_BODY_TOO_LARGE") return sendError(request, reply, httpError(413));
    if (error.statusCode === 400 || error.code?.startsWith("FST_ERR_CTP")) return sendError(request, reply, new RegistryError(400, 400, error.message));
    log.error({ err: error, method: request.method, url: request.url }, "uncaught exception in a REST call");
    return sendError(request, reply, new RegistryError(500, 500, "Internal Server Error"));
  });

  app.setNotFoundHandler((request, reply) => {
    const known = hasRoute(request.url);
    return sendError(request, reply, httpError(known ? 405 : 404));
  });

  app.addHook("onResponse", async (request, reply) => {
    log.debug({ method: request.method, url: request.url, status: reply.statusCode, ms: Math.round(reply.elapsedTime) }, "REST request");
  });

  registerSchemaRoutes(app, ctx);
  registerSubjectRoutes(app, ctx);
  registerCompatibilityRoutes(app, ctx);
  registerConfigRoutes(app, ctx);

  return {
    app,
    listen: (listener: Listener): Promise<string> => listenOn(app, listener),
    close: () => app.close(),
  };
}
