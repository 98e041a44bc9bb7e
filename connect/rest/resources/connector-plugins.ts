// /connector-plugins (Kafka's ConnectorPluginsResource): the plugins this worker can run, each
// plugin's config definition, and validation of a connector config against its plugin.
import type { FastifyInstance, FastifyRequest } from "fastify";
import { BadRequestError, ConnectRestError } from "../../runtime/herder/errors.ts";
import { withTimeout } from "../forward.ts";
import { readStringMap } from "../json.ts";
import { booleanParam, jsonBody, type RestContext, sendJson } from "../context.ts";

const ALIAS_SUFFIX = "Connector";

/** Kafka's normalizedPluginName: a class or short name without its "Connector" suffix. */
function normalizedPluginName(name: string): string {
  return name.endsWith(ALIAS_SUFFIX) && name.length > ALIAS_SUFFIX.length ? name.slice(0, -ALIAS_SUFFIX.length) : name;
}

export function registerConnectorPluginRoutes(app: FastifyInstance, ctx: RestContext): void {
  const { herder } = ctx;
  const plugin = (request: FastifyRequest): string => (request.params as { plugin: string }).plugin;

  app.get("/connector-plugins", async (request, reply) => sendJson(reply, 200, herder.plugins(booleanParam(request, "connectorsOnly", true))));

  app.get("/connector-plugins/:plugin/config", async (request, reply) => sendJson(reply, 200, herder.pluginConfig(plugin(request))));

  app.put("/connector-plugins/:plugin/config/validate", async (request, reply) => {
    const pluginName = plugin(request);
    const config = readStringMap(jsonBody(request));
    if (config === null) throw new ConnectRestError(500, 'Cannot invoke "java.util.Map.get(Object)" because "connectorConfig" is null');
    const included = config["connector.class"];
    if (included !== undefined && included !== null && !normalizedPluginName(included).endsWith(normalizedPluginName(pluginName))) {
      throw new BadRequestError(`Included connector type ${included} does not match request type ${pluginName}`);
    }
    try {
      const infos = await withTimeout(herder.validateConnectorConfig(config as Record<string, string>), ctx.requestTimeoutMs);
      return sendJson(reply, 200, infos);
    } catch (err) {
      // Kafka lets the validation's own failure escape wrapped (an ExecutionException): a 500
      // whose message is the cause's class and message.
      if (err instanceof BadRequestError) throw new ConnectRestError(500, `org.apache.kafka.connect.runtime.rest.errors.BadRequestException: ${err.message}`, { cause: err });
      throw err;
    }
  });
}
