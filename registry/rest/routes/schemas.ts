// /schemas: schemas by global id, the schema types, and the schema listing (Confluent's
// SchemasResource), plus the root resource and /contexts (the default context only).
import type { FastifyInstance } from "fastify";
import { SCHEMA_TYPES_LISTED } from "../../formats/index.ts";
import { pathInt, queryBoolean, queryInt, queryString, type RegistryRestContext, sendJson, sendText } from "../context.ts";
import { schemaEntity, schemaStringEntity } from "../entities.ts";

export function registerSchemaRoutes(app: FastifyInstance, ctx: RegistryRestContext): void {
  const { service } = ctx;

  // Confluent's RootResource answers an empty object.
  app.get("/", async (request, reply) => sendJson(request, reply, 200, {}));

  app.get("/contexts", async (request, reply) => sendJson(request, reply, 200, ["."]));

  app.get("/schemas/types", async (request, reply) => sendJson(request, reply, 200, SCHEMA_TYPES_LISTED));

  app.get("/schemas", async (request, reply) => {
    const schemas = service.listSchemas({
      prefix: queryString(request, "subjectPrefix") ?? "",
      deleted: queryBoolean(request, "deleted"),
      latestOnly: queryBoolean(request, "latestOnly"),
      offset: queryInt(request, "offset", 0),
      limit: queryInt(request, "limit", -1),
    });
    return sendJson(request, reply, 200, schemas.map(schemaEntity));
  });

  // `format`: the schema text in one of Confluent's output formats (RegistryService.formatted).
  app.get("/schemas/ids/:id", async (request, reply) => {
    const schema = service.schemaById(pathInt(request, "id"), queryString(request, "subject") ?? null);
    return sendJson(request, reply, 200, schemaStringEntity(service.formatted(schema, queryString(request, "format"))));
  });

  app.get("/schemas/ids/:id/schema", async (request, reply) => {
    const schema = service.schemaById(pathInt(request, "id"), queryString(request, "subject") ?? null);
    return sendText(request, reply, service.formatted(schema, queryString(request, "format")).schema);
  });

  app.get("/schemas/ids/:id/subjects", async (request, reply) => {
    const subjects = service.subjectsForId(pathInt(request, "id"), queryString(request, "subject") ?? null, queryBoolean(request, "deleted"));
    return sendJson(request, reply, 200, subjects);
  });

  app.get("/schemas/ids/:id/versions", async (request, reply) => {
    const versions = service.versionsForId(pathInt(request, "id"), queryString(request, "subject") ?? null, queryBoolean(request, "deleted"));
    return sendJson(request, reply, 200, versions.map((sv) => ({ subject: sv.subject, version: sv.version })));
  });
}
