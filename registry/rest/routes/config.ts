// /config and /mode: the compatibility level (and the newer config members) and the mode,
// globally and per subject (Confluent's ConfigResource and ModeResource). PUT answers echo the
// request, DELETE answers the setting that was in place.
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { errors } from "../../errors.ts";
import { parseCompatibilityLevel, parseMode, type ConfigValue } from "../../store/records.ts";
import { pathParam, queryBoolean, type RegistryRestContext, requestBody, sendJson, writeOrForward } from "../context.ts";
import { configEntity } from "../entities.ts";
import { type Json, RawJson, readBoolean, readMetadataMember, readObject, readRuleSetMember, readString, type Writable } from "../json.ts";
import { encodeMetadata, encodeRuleSet } from "../../store/records.ts";

interface ConfigRequest {
  readonly update: ConfigValue;
  /** The request as it came, for the echo. */
  readonly echo: Writable;
}

/** Confluent's ConfigUpdateRequest (`compatibility`, also read as `compatibilityLevel`). */
function readConfigRequest(body: Json | undefined): ConfigRequest {
  const o = readObject(body, "io.confluent.kafka.schemaregistry.client.rest.entities.requests.ConfigUpdateRequest");
  const levelText = readString(o, "compatibility") ?? readString(o, "compatibilityLevel");
  const level = parseCompatibilityLevel(levelText);
  if (levelText !== undefined && level === null) throw errors.invalidCompatibility();
  const alias = readString(o, "alias");
  const normalize = readBoolean(o, "normalize");
  const validateFields = readBoolean(o, "validateFields");
  const group = readString(o, "compatibilityGroup");
  const defaultMetadata = readMetadataMember(o, "defaultMetadata") ?? undefined;
  const overrideMetadata = readMetadataMember(o, "overrideMetadata") ?? undefined;
  const defaultRuleSet = readRuleSetMember(o, "defaultRuleSet") ?? undefined;
  const overrideRuleSet = readRuleSetMember(o, "overrideRuleSet") ?? undefined;
  const raw = (text: string | undefined): RawJson | undefined => (text === undefined ? undefined : new RawJson(text));
  return {
    update: {
      ...(alias !== undefined ? { alias } : {}),
      ...(normalize !== undefined ? { normalize } : {}),
      ...(validateFields !== undefined ? { validateFields } : {}),
      ...(level !== null ? { compatibilityLevel: level } : {}),
      ...(group !== undefined ? { compatibilityGroup: group } : {}),
      ...(defaultMetadata ? { defaultMetadata } : {}),
      ...(overrideMetadata ? { overrideMetadata } : {}),
      ...(defaultRuleSet ? { defaultRuleSet } : {}),
      ...(overrideRuleSet ? { overrideRuleSet } : {}),
    },
    echo: {
      alias,
      normalize,
      validateFields,
      compatibility: levelText,
      compatibilityGroup: group,
      defaultMetadata: raw(encodeMetadata(defaultMetadata)),
      overrideMetadata: raw(encodeMetadata(overrideMetadata)),
      defaultRuleSet: raw(encodeRuleSet(defaultRuleSet)),
      overrideRuleSet: raw(encodeRuleSet(overrideRuleSet)),
    },
  };
}

function readModeRequest(body: Json | undefined): { mode: ReturnType<typeof parseMode>; text: string | undefined } {
  const o = readObject(body, "io.confluent.kafka.schemaregistry.client.rest.entities.requests.ModeUpdateRequest");
  const text = readString(o, "mode");
  return { mode: parseMode(text), text };
}

export function registerConfigRoutes(app: FastifyInstance, ctx: RegistryRestContext): void {
  const { service } = ctx;
  const subjectOf = (request: FastifyRequest): string | null => ((request.params as Record<string, unknown>)["subject"] === undefined ? null : pathParam(request, "subject"));

  const getConfig = async (request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> =>
    sendJson(request, reply, 200, configEntity(service.getConfig(subjectOf(request), queryBoolean(request, "defaultToGlobal"))));
  const putConfig = async (request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> => {
    const { update, echo } = readConfigRequest(requestBody(request));
    return writeOrForward(
      ctx,
      request,
      reply,
      { failed: "Error while forwarding update config request to the leader", noLeader: "Failed to update compatibility level" },
      () => service.setConfig(subjectOf(request), update),
      () => echo,
    );
  };
  const deleteConfig = async (request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> =>
    writeOrForward(
      ctx,
      request,
      reply,
      { failed: "Error while forwarding delete config request to the leader", noLeader: "Failed to delete compatibility level" },
      () => service.deleteConfig(subjectOf(request)),
      configEntity,
    );

  app.get("/config", getConfig);
  app.put("/config", putConfig);
  app.delete("/config", deleteConfig);
  app.get("/config/:subject", getConfig);
  app.put("/config/:subject", putConfig);
  app.delete("/config/:subject", deleteConfig);

  const getMode = async (request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> =>
    sendJson(request, reply, 200, { mode: service.getMode(subjectOf(request), queryBoolean(request, "defaultToGlobal")) });
  const putMode = async (request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> => {
    const { mode, text } = readModeRequest(requestBody(request));
    if (mode === null) throw errors.invalidMode();
    return writeOrForward(
      ctx,
      request,
      reply,
      { failed: "Error while forwarding update mode request to the leader", noLeader: "Failed to update mode" },
      () => service.setMode(subjectOf(request), mode, queryBoolean(request, "force")),
      () => ({ mode: text }),
    );
  };

  app.get("/mode", getMode);
  app.put("/mode", putMode);
  app.get("/mode/:subject", getMode);
  app.put("/mode/:subject", putMode);
  app.delete("/mode/:subject", async (request, reply) =>
    writeOrForward(
      ctx,
      request,
      reply,
      { failed: "Error while forwarding delete mode request to the leader", noLeader: "Failed to delete mode" },
      () => service.deleteMode(pathParam(request, "subject")),
      (mode) => ({ mode }),
    ),
  );
}
