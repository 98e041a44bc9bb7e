// /subjects: listing, registering, looking up, reading and deleting versions (Confluent's
// SubjectsResource and SubjectVersionsResource). Writes go through writeOrForward: a follower
// sends them to the leader. Reads of a schema take Confluent's `format` (RegistryService.formatted).
import type { FastifyInstance } from "fastify";
import { pathParam, queryBoolean, queryString, type RegistryRestContext, requestBody, sendJson, sendText, writeOrForward } from "../context.ts";
import { registerResponse, schemaEntity } from "../entities.ts";
import { readSchemaRequest } from "../json.ts";

export function registerSubjectRoutes(app: FastifyInstance, ctx: RegistryRestContext): void {
  const { service } = ctx;

  app.get("/subjects", async (request, reply) => {
    const subjects = service.listSubjects({
      ...(queryString(request, "subjectPrefix") !== undefined ? { prefix: queryString(request, "subjectPrefix") } : {}),
      deleted: queryBoolean(request, "deleted"),
      deletedOnly: queryBoolean(request, "deletedOnly"),
    });
    return sendJson(request, reply, 200, subjects);
  });

  app.post("/subjects/:subject", async (request, reply) => {
    const req = readSchemaRequest(requestBody(request));
    const found = service.lookup(pathParam(request, "subject"), req, { normalize: queryBoolean(request, "normalize"), deleted: queryBoolean(request, "deleted") });
    return sendJson(request, reply, 200, schemaEntity(service.formatted(found, queryString(request, "format"))));
  });

  app.delete("/subjects/:subject", async (request, reply) => {
    const subject = pathParam(request, "subject");
    return writeOrForward(
      ctx,
      request,
      reply,
      { failed: "Error while forwarding delete subject request to the leader", noLeader: "Leader not known." },
      () => service.deleteSubject(subject, queryBoolean(request, "permanent")),
      (versions) => versions,
    );
  });

  app.get("/subjects/:subject/versions", async (request, reply) => {
    const versions = service.listVersions(pathParam(request, "subject"), { deleted: queryBoolean(request, "deleted"), deletedOnly: queryBoolean(request, "deletedOnly") });
    return sendJson(request, reply, 200, versions);
  });

  app.post("/subjects/:subject/versions", async (request, reply) => {
    const subject = pathParam(request, "subject");
    const req = readSchemaRequest(requestBody(request));
    return writeOrForward(
      ctx,
      request,
      reply,
      { failed: "Error while forwarding register schema request to the leader", noLeader: "Leader not known." },
      () => service.register(subject, req, { normalize: queryBoolean(request, "normalize") }),
      (result) => registerResponse(result.id, result.schema),
    );
  });

  app.get("/subjects/:subject/versions/:version", async (request, reply) => {
    const v = service.getVersion(pathParam(request, "subject"), pathParam(request, "version"), queryBoolean(request, "deleted"));
    return sendJson(request, reply, 200, schemaEntity(service.formatted(v, queryString(request, "format"))));
  });

  app.get("/subjects/:subject/versions/:version/schema", async (request, reply) => {
    const v = service.getVersion(pathParam(request, "subject"), pathParam(request, "version"), queryBoolean(request, "deleted"));
    return sendText(request, reply, service.formatted(v, queryString(request, "format")).schema);
  });

  app.get("/subjects/:subject/versions/:version/referencedby", async (request, reply) => {
    return sendJson(request, reply, 200, service.referencedBy(pathParam(request, "subject"), pathParam(request, "version")));
  });

  app.delete("/subjects/:subject/versions/:version", async (request, reply) => {
    const subject = pathParam(request, "subject");
    const version = pathParam(request, "version");
    return writeOrForward(
      ctx,
      request,
      reply,
      { failed: "Error while forwarding delete schema version request to the leader", noLeader: "Leader not known." },
      () => service.deleteVersion(subject, version, queryBoolean(request, "permanent")),
      (deleted) => deleted,
    );
  });
}
