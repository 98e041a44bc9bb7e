// GET / (Kafka's RootResource): the worker's version and the id of the Kafka cluster it uses.
import type { FastifyInstance } from "fastify";
import { type RestContext, sendJson } from "../context.ts";

export function registerRootRoutes(app: FastifyInstance, ctx: RestContext): void {
  app.get("/", async (_request, reply) => sendJson(reply, 200, { version: ctx.version, commit: ctx.commit, kafka_cluster_id: ctx.herder.kafkaClusterId() }));
}
