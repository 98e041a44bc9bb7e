// /admin/loggers (Kafka's LoggingResource, KIP-495/KIP-976): read and change log levels at run
// time. Levels are log4j's names, case-insensitive on the way in; an unknown level is a 404, as
// in Kafka.
import type { FastifyInstance, FastifyRequest } from "fastify";
import { NotFoundException } from "../../api/index.ts";
import { BadRequestError, ConnectRestError } from "../../runtime/herder/errors.ts";
import { readStringMap } from "../json.ts";
import { jsonBody, queryValue, type RestContext, sendJson } from "../context.ts";

export function registerLoggerRoutes(app: FastifyInstance, ctx: RestContext): void {
  const name = (request: FastifyRequest): string => (request.params as { logger: string }).logger;

  app.get("/admin/loggers", async (_request, reply) => sendJson(reply, 200, ctx.loggers.allLevels()));

  app.get("/admin/loggers/:logger", async (request, reply) => {
    const logger = name(request);
    const level = ctx.loggers.level(logger);
    if (level === null) throw new NotFoundException(`Logger ${logger} not found.`);
    return sendJson(reply, 200, level);
  });

  app.put("/admin/loggers/:logger", async (request, reply) => {
    const namespace = name(request);
    const body = readStringMap(jsonBody(request));
    if (body === null) throw new ConnectRestError(500, 'Cannot invoke "java.util.Map.get(Object)" because "levelMap" is null');
    const level = body["level"];
    if (level === undefined || level === null) throw new BadRequestError("Desired 'level' parameter was not specified in request.");
    if (!ctx.loggers.isValidLevel(level)) throw new NotFoundException(`invalid log level '${level}'.`);
    const scope = (queryValue(request, "scope") ?? "worker").toLowerCase();
    if (scope === "cluster") {
      if (ctx.setClusterLoggerLevel) await ctx.setClusterLoggerLevel(namespace, level);
      else ctx.loggers.setLevel(namespace, level);
      return sendJson(reply, 204);
    }
    if (scope !== "worker") ctx.log.warn({ scope }, "invalid logging scope; using worker");
    return sendJson(reply, 200, ctx.loggers.setLevel(namespace, level));
  });
}
