// Endpoints only workers call on each other (Kafka's internal ConnectorsResource methods): a
// worker running a connector POSTs the connector's new task configs to the group's leader,
// signed with the session key (KIP-507). A follower that receives one forwards it to the leader
// like any other write.
import type { FastifyInstance, FastifyRequest } from "fastify";
import { ConnectRestError } from "../../runtime/herder/errors.ts";
import { SIGNATURE_ALGORITHM_HEADER, SIGNATURE_HEADER, signatureFromHeaders, type RequestSignature } from "../../runtime/herder/distributed/internal-requests.ts";
import { completeOrForward, forwardParam } from "../forward.ts";
import { readStringMapList } from "../json.ts";
import { jsonBody, query, relay, type RestContext, segment, sendJson } from "../context.ts";

/** The herder side of the internal endpoints (the distributed herder). */
export interface InternalRequestHandler {
  putTaskConfigs(connector: string, configs: ReadonlyArray<Record<string, string>>, signature: RequestSignature | null, body: Buffer): Promise<void>;
}

export function registerInternalRoutes(app: FastifyInstance, ctx: Pick<RestContext, "requestTimeoutMs">, handler: InternalRequestHandler): void {
  app.post("/connectors/:connector/tasks", async (request: FastifyRequest, reply) => {
    const connector = (request.params as { connector: string }).connector;
    const configs = readStringMapList(jsonBody(request));
    if (configs === null) throw new ConnectRestError(500, 'Cannot invoke "java.util.List.size()" because "taskConfigs" is null');
    const raw = Buffer.from((request as FastifyRequest & { rawBody?: string }).rawBody ?? "", "utf8");
    const signature = signatureFromHeaders(request.headers as Record<string, string | string[] | undefined>);
    const outcome = await completeOrForward(() => handler.putTaskConfigs(connector, configs, signature, raw), forwardParam(query(request)["forward"]), {
      path: `/connectors/${segment(connector)}/tasks`,
      method: "POST",
      body: configs,
      ...(signature === null ? {} : { headers: { [SIGNATURE_HEADER]: signature.signature, [SIGNATURE_ALGORITHM_HEADER]: signature.algorithm } }),
    }, ctx.requestTimeoutMs);
    if (outcome.forwarded) return relay(reply, outcome.answer);
    return sendJson(reply, 204);
  });
}
