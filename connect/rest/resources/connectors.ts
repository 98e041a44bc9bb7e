// /connectors (Kafka's ConnectorsResource): paths, query parameters, status codes and bodies as
// Kafka Connect 4.3 answers them. Writes that only the leader may make are forwarded to it (the
// herder throws RequestTargetError); reads are answered from this worker's view.
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { NotFoundException } from "../../api/index.ts";
import type { ConnectorInfo, ConnectorOffset } from "../../runtime/herder/entities.ts";
import { BadRequestError, ConnectRestError } from "../../runtime/herder/errors.ts";
import type { TargetState } from "../../runtime/herder/herder.ts";
import { jerseyError } from "../errors.ts";
import { completeOrForward, type ForwardTarget, forwardParam, withTimeout } from "../forward.ts";
import { readCreateConnectorRequest, readOffsetsRequest, readStringMap } from "../json.ts";
import { absoluteUrl, booleanParam, jsonBody, query, relay, type RestContext, segment, sendJson } from "../context.ts";

type Params = { connector: string; task?: string };

const connectorPath = (name: string): string => `/connectors/${segment(name)}`;

/** Kafka's checkAndPutConnectorConfigName: the config's name must match, or is set from the URL/body. */
function checkAndPutConnectorConfigName(name: string, config: Record<string, string | null>): void {
  const included = config["name"];
  if (included !== undefined && included !== null) {
    if (included !== name) throw new BadRequestError(`Connector name configuration (${included}) doesn't match connector name in the URL (${name})`);
  } else config["name"] = name;
}

/** Jersey's Integer path parameter: not an int is no route at all (404 "HTTP 404 Not Found"). */
function taskParam(value: string | undefined): number {
  if (value === undefined || !/^[+-]?\d+$/.test(value)) throw jerseyError(404);
  const n = Number(value);
  if (n < -(2 ** 31) || n >= 2 ** 31) throw jerseyError(404);
  return n;
}

const STATE_FOR_INITIAL: Record<string, TargetState> = { RUNNING: "STARTED", PAUSED: "PAUSED", STOPPED: "STOPPED" };

export function registerConnectorRoutes(app: FastifyInstance, ctx: RestContext): void {
  const { herder } = ctx;
  const timed = <T>(work: Promise<T>): Promise<T> => withTimeout(work, ctx.requestTimeoutMs);
  const forwarded = <T>(request: FastifyRequest, work: () => Promise<T>, target: ForwardTarget) =>
    completeOrForward(work, forwardParam(query(request)["forward"]), target, ctx.requestTimeoutMs);
  const params = (request: FastifyRequest): Params => request.params as Params;

  /** A 201/200 answer with Kafka's Location header when the connector was created. */
  const createdOrOk = (request: FastifyRequest, reply: FastifyReply, name: string, created: boolean, info: ConnectorInfo): FastifyReply => {
    if (created) reply.header("location", absoluteUrl(request, connectorPath(name)));
    return sendJson(reply, created ? 201 : 200, info);
  };

  app.get("/connectors", async (request, reply) => {
    const q = query(request);
    const names = await timed(herder.connectors());
    if (!Object.hasOwn(q, "expand")) return sendJson(reply, 200, names);
    const raw = q["expand"];
    const expansions = Array.isArray(raw) ? raw : [raw ?? ""];
    const out: Record<string, Record<string, unknown>> = {};
    for (const name of names) {
      try {
        const entry: Record<string, unknown> = {};
        for (const expansion of expansions) {
          if (expansion === "status") entry["status"] = await timed(herder.connectorStatus(name));
          else if (expansion === "info") entry["info"] = await timed(herder.connectorInfo(name));
          else ctx.log.info({ expansion }, "ignoring unknown expansion type");
        }
        out[name] = entry;
      } catch (err) {
        // Deleted (or without a status yet) while we looked: Kafka leaves it out of the answer.
        if (!(err instanceof NotFoundException)) throw err;
      }
    }
    return sendJson(reply, 200, out);
  });

  app.post("/connectors", async (request, reply) => {
    const body = readCreateConnectorRequest(jsonBody(request));
    if (body === null) throw new ConnectRestError(500, 'Cannot invoke "org.apache.kafka.connect.runtime.rest.entities.CreateConnectorRequest.name()" because "createRequest" is null');
    const name = body.name === null ? "" : body.name.trim();
    const config = body.config;
    if (config === null) throw new ConnectRestError(500, 'Cannot invoke "java.util.Map.get(Object)" because "connectorConfig" is null');
    checkAndPutConnectorConfigName(name, config);
    const initialState = body.initialState === null ? undefined : STATE_FOR_INITIAL[body.initialState];
    const forwardBody = { name: body.name, config, ...(body.initialState === null ? {} : { initial_state: body.initialState }) };
    const outcome = await forwarded(request, () => herder.putConnectorConfig(name, config as Record<string, string>, false, initialState), {
      path: "/connectors",
      method: "POST",
      body: forwardBody,
    });
    if (outcome.forwarded) {
      if (outcome.answer.status === 201 || outcome.answer.status === 200) return createdOrOk(request, reply, name, true, outcome.answer.body as ConnectorInfo);
      return relay(reply, outcome.answer);
    }
    return createdOrOk(request, reply, name, true, outcome.value.info);
  });

  app.get("/connectors/:connector", async (request, reply) => sendJson(reply, 200, await timed(herder.connectorInfo(params(request).connector))));

  app.get("/connectors/:connector/config", async (request, reply) => sendJson(reply, 200, await timed(herder.connectorConfig(params(request).connector))));

  app.put("/connectors/:connector/config", async (request, reply) => {
    const name = params(request).connector;
    const config = readStringMap(jsonBody(request));
    if (config === null) throw new ConnectRestError(500, 'Cannot invoke "java.util.Map.get(Object)" because "connectorConfig" is null');
    checkAndPutConnectorConfigName(name, config);
    const outcome = await forwarded(request, () => herder.putConnectorConfig(name, config as Record<string, string>, true), {
      path: `${connectorPath(name)}/config`,
      method: "PUT",
      body: config,
    });
    if (outcome.forwarded) {
      const { status, body } = outcome.answer;
      if (status === 201 || status === 200) return createdOrOk(request, reply, name, status === 201, body as ConnectorInfo);
      return relay(reply, outcome.answer);
    }
    return createdOrOk(request, reply, name, outcome.value.created, outcome.value.info);
  });

  app.patch("/connectors/:connector/config", async (request, reply) => {
    const name = params(request).connector;
    const patch = readStringMap(jsonBody(request));
    if (patch === null) {
      // Kafka looks the connector up first, then fails applying a null patch (ConnectUtils.patchConfig).
      await timed(herder.connectorConfig(name));
      throw new ConnectRestError(500, 'Cannot invoke "java.util.Map.forEach(java.util.function.BiConsumer)" because "patch" is null');
    }
    const outcome = await forwarded(request, () => herder.patchConnectorConfig(name, patch), { path: `${connectorPath(name)}/config`, method: "PATCH", body: patch });
    if (outcome.forwarded) return relay(reply, outcome.answer);
    return sendJson(reply, 200, outcome.value);
  });

  app.get("/connectors/:connector/status", async (request, reply) => sendJson(reply, 200, await timed(herder.connectorStatus(params(request).connector))));

  app.get("/connectors/:connector/topics", async (request, reply) => {
    if (!ctx.topicTrackingEnabled) throw new ConnectRestError(403, "Topic tracking is disabled.");
    const name = params(request).connector;
    const topics = await timed(herder.connectorActiveTopics(name));
    return sendJson(reply, 200, { [name]: { topics } });
  });

  app.put("/connectors/:connector/topics/reset", async (request, reply) => {
    if (!ctx.topicTrackingEnabled) throw new ConnectRestError(403, "Topic tracking is disabled.");
    if (!ctx.topicTrackingResetEnabled) throw new ConnectRestError(403, "Topic tracking reset is disabled.");
    await timed(herder.resetConnectorActiveTopics(params(request).connector));
    return sendJson(reply, 202);
  });

  app.post("/connectors/:connector/restart", async (request, reply) => {
    const name = params(request).connector;
    const includeTasks = booleanParam(request, "includeTasks", false);
    const onlyFailed = booleanParam(request, "onlyFailed", false);
    const onlyConnector = !includeTasks && !onlyFailed;
    const outcome = await forwarded(request, () => herder.restartConnector({ connector: name, includeTasks, onlyFailed }), {
      path: `${connectorPath(name)}/restart`,
      method: "POST",
      // Kafka passes the flags on only for the restart that answers with a status.
      ...(onlyConnector ? {} : { query: { includeTasks: String(includeTasks), onlyFailed: String(onlyFailed) } }),
    });
    if (outcome.forwarded) return relay(reply, outcome.answer);
    // Kafka: the plain connector restart answers 204; with tasks or onlyFailed, 202 and the status.
    if (onlyConnector || outcome.value === null) return sendJson(reply, 204);
    return sendJson(reply, 202, outcome.value);
  });

  app.put("/connectors/:connector/stop", async (request, reply) => {
    const name = params(request).connector;
    const outcome = await forwarded(request, () => herder.stopConnector(name), { path: `${connectorPath(name)}/stop`, method: "PUT" });
    if (outcome.forwarded) return relay(reply, outcome.answer);
    return sendJson(reply, 204);
  });

  app.put("/connectors/:connector/pause", async (request, reply) => {
    await timed(herder.pauseConnector(params(request).connector));
    return sendJson(reply, 202);
  });

  app.put("/connectors/:connector/resume", async (request, reply) => {
    await timed(herder.resumeConnector(params(request).connector));
    return sendJson(reply, 202);
  });

  app.get("/connectors/:connector/tasks", async (request, reply) => sendJson(reply, 200, await timed(herder.taskConfigs(params(request).connector))));

  app.get("/connectors/:connector/tasks/:task/status", async (request, reply) => {
    const { connector, task } = params(request);
    return sendJson(reply, 200, await timed(herder.taskStatus({ connector, task: taskParam(task) })));
  });

  app.post("/connectors/:connector/tasks/:task/restart", async (request, reply) => {
    const { connector, task: rawTask } = params(request);
    const task = taskParam(rawTask);
    const outcome = await forwarded(request, () => herder.restartTask({ connector, task }), {
      path: `${connectorPath(connector)}/tasks/${task}/restart`,
      method: "POST",
    });
    if (outcome.forwarded) return relay(reply, outcome.answer);
    return sendJson(reply, 204);
  });

  app.delete("/connectors/:connector", async (request, reply) => {
    const name = params(request).connector;
    const outcome = await forwarded(request, () => herder.deleteConnector(name), { path: connectorPath(name), method: "DELETE" });
    if (outcome.forwarded) return relay(reply, outcome.answer);
    return sendJson(reply, 204);
  });

  app.get("/connectors/:connector/offsets", async (request, reply) => sendJson(reply, 200, await timed(herder.connectorOffsets(params(request).connector))));

  app.patch("/connectors/:connector/offsets", async (request, reply) => {
    const name = params(request).connector;
    const body = readOffsetsRequest(jsonBody(request));
    if (body === null) throw new ConnectRestError(500, 'Cannot invoke "org.apache.kafka.connect.runtime.rest.entities.ConnectorOffsets.offsets()" because "offsets" is null');
    if (body.offsets === null || body.offsets.length === 0) throw new BadRequestError("Partitions / offsets need to be provided for an alter offsets request");
    const offsets = body.offsets as ConnectorOffset[];
    const outcome = await forwarded(request, () => herder.alterConnectorOffsets(name, { offsets }), {
      path: `${connectorPath(name)}/offsets`,
      method: "PATCH",
      body: { offsets },
    });
    if (outcome.forwarded) return relay(reply, outcome.answer);
    return sendJson(reply, 200, { message: outcome.value });
  });

  app.delete("/connectors/:connector/offsets", async (request, reply) => {
    const name = params(request).connector;
    const outcome = await forwarded(request, () => herder.resetConnectorOffsets(name), { path: `${connectorPath(name)}/offsets`, method: "DELETE" });
    if (outcome.forwarded) return relay(reply, outcome.answer);
    return sendJson(reply, 200, { message: outcome.value });
  });
}
