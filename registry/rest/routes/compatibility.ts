// /compatibility: test a schema against a subject's versions without registering it (Confluent's
// CompatibilityResource). With verbose=true the answer lists the reasons.
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { pathParam, queryBoolean, type RegistryRestContext, requestBody, sendJson } from "../context.ts";
import { readSchemaRequest } from "../json.ts";

export function registerCompatibilityRoutes(app: FastifyInstance, ctx: RegistryRestContext): void {
  const check = async (request: FastifyRequest, reply: FastifyReply, version: string | null): Promise<FastifyReply> => {
    const req = readSchemaRequest(requestBody(request));
    const verbose = queryBoolean(request, "verbose");
    const result = ctx.service.checkCompatibility(pathParam(request, "subject"), version, req, { normalize: queryBoolean(request, "normalize"), verbose });
    return sendJson(request, reply, 200, verbose ? { is_compatible: result.isCompatible, messages: [...result.messages] } : { is_compatible: result.isCompatible });
  };

  app.post("/compatibility/subjects/:subject/versions", async (request, reply) => check(request, reply, null));
  app.post("/compatibility/subjects/:subject/versions/:version", async (request, reply) => check(request, reply, pathParam(request, "version")));
}
