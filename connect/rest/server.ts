// The Connect REST server (Kafka's ConnectRestServer): fastify with Kafka's routes, JSON reading
// and error answers. Resources translate HTTP to Herder calls; this file wires them, maps every
// error to `{"error_code", "message"}`, and answers unknown paths (404) and methods (405) with
// Jersey's texts. Request bodies are never logged: connector configs carry passwords.
import Fastify, { type FastifyError, type FastifyInstance, type FastifyRequest } from "fastify";
import type { Registry } from "prom-client";
import type { Logger } from "../../lib/logger.ts";
import type { Listener } from "../../lib/listeners.ts";
import { listenOn, routedPaths } from "../../lib/http-server.ts";
import { ConnectRestError } from "../runtime/herder/errors.ts";
import { type ErrorAnswer, jerseyError, mapError } from "./errors.ts";
import { parseJsonBody } from "./json.ts";
import { type RestContext, sendJson, UNSUPPORTED_BODY } from "./context.ts";
import { registerConnectorPluginRoutes } from "./resources/connector-plugins.ts";
import { registerConnectorRoutes } from "./resources/connectors.ts";
import { registerHealthRoutes } from "./resources/health.ts";
import { registerLoggerRoutes } from "./resources/loggers.ts";
import { registerMetricsRoutes } from "./resources/metrics.ts";
import { registerRootRoutes } from "./resources/root.ts";

export interface RestServerOptions extends Omit<RestContext, "requestTimeoutMs" | "topicTrackingEnabled" | "topicTrackingResetEnabled" | "commit"> {
  readonly requestTimeoutMs?: number;
  readonly topicTrackingEnabled?: boolean;
  readonly topicTrackingResetEnabled?: boolean;
  readonly commit?: string;
  /** Routes only workers call on each other (the distributed herder's internal endpoints). */
  readonly registerInternalRoutes?: (app: FastifyInstance) => void;
  /** The worker's Prometheus metrics, served on GET /metrics when given. */
  readonly metricsRegistry?: Registry;
}

export interface RestServer {
  readonly app: FastifyInstance;
  /** Binds the listener; resolves with the URL the server answers on. */
  listen(listener: Listener): Promise<string>;
  close(): Promise<void>;
}

/** Kafka's default REST request timeout (ConnectorsResource.REQUEST_TIMEOUT_MS). */
export const DEFAULT_REQUEST_TIMEOUT_MS = 90_000;

export function createRestServer(options: RestServerOptions): RestServer {
  const ctx: RestContext = {
    ...options,
    requestTimeoutMs: options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS,
    topicTrackingEnabled: options.topicTrackingEnabled ?? true,
    topicTrackingResetEnabled: options.topicTrackingResetEnabled ?? true,
    commit: options.commit ?? "",
  };
  const log: Logger = options.log;
  const app = Fastify({ logger: false, routerOptions: { ignoreTrailingSlash: true, ignoreDuplicateSlashes: true }, bodyLimit: 64 * 1024 * 1024 });
  const hasRoute = routedPaths(app);

  app.removeAllContentTypeParsers();
  app.addContentTypeParser("application/json", { parseAs: "string" }, (request, body, done) => {
    try {
      // Internal requests are signed over their exact bytes (KIP-507): keep them.
      (request as FastifyRequest & { rawBody?: string }).rawBody = body as string;
      done(null, parseJsonBody(body as string));
    } catch (err) {
      done(err as Error, undefined);
    }
  });
  // Any other media type is read and set aside: endpoints that take a body answer 415 (Jersey).
  app.addContentTypeParser("*", { parseAs: "buffer" }, (_request, _body, done) => done(null, UNSUPPORTED_BODY));

  const answer = (request: FastifyRequest, error: unknown): ErrorAnswer => {
    const code = (error as FastifyError | null)?.code;
    if (code === "FST_ERR_CTP_INVALID_MEDIA_TYPE") return mapError(jerseyError(415));
    const mapped = mapError(error);
    // Answers the API decided on (a ConnectRestError) are not the server's failures.
    if (mapped.status >= 500 && !(error instanceof ConnectRestError)) log.error({ err: error, method: request.method, url: request.url }, "uncaught exception in REST call");
    else log.debug({ method: request.method, url: request.url, status: mapped.status, message: mapped.body.message }, "REST request failed");
    return mapped;
  };
  app.setErrorHandler((error, request, reply) => {
    const { status, body } = answer(request, error);
    return sendJson(reply, status, body);
  });
  app.setNotFoundHandler((request, reply) => {
    const known = hasRoute(request.url);
    const { status, body } = mapError(jerseyError(known ? 405 : 404));
    return sendJson(reply, status, body);
  });
  app.addHook("onResponse", async (request, reply) => {
    log.debug({ method: request.method, url: request.url, status: reply.statusCode, ms: Math.round(reply.elapsedTime) }, "REST request");
  });

  registerRootRoutes(app, ctx);
  registerHealthRoutes(app, ctx);
  registerConnectorRoutes(app, ctx);
  registerConnectorPluginRoutes(app, ctx);
  registerLoggerRoutes(app, ctx);
  options.registerInternalRoutes?.(app);
  if (options.metricsRegistry) registerMetricsRoutes(app, options.metricsRegistry);

  return {
    app,
    listen: (listener: Listener): Promise<string> => listenOn(app, listener),
    close: () => app.close(),
  };
}
