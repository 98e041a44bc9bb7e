// What every REST resource needs, and the small helpers they share to read requests and answer
// in Kafka's way (JSON bodies, Jersey's Boolean query parameters, relayed forwarded answers).
import type { FastifyReply, FastifyRequest } from "fastify";
import type { Logger } from "../../lib/logger.ts";
import type { Herder } from "../runtime/herder/herder.ts";
import type { LoggerLevels } from "../runtime/loggers.ts";
import { jerseyError } from "./errors.ts";
import type { RelayedAnswer } from "./forward.ts";
import { JsonBody, stringifyJson } from "./json.ts";

export interface RestContext {
  readonly herder: Herder;
  readonly loggers: LoggerLevels;
  readonly log: Logger;
  /** Kafka's rest request timeout (90 s): a herder call taking longer answers 500 "Request timed out". */
  readonly requestTimeoutMs: number;
  /** topic.tracking.enable / topic.tracking.allow.reset (KIP-558). */
  readonly topicTrackingEnabled: boolean;
  readonly topicTrackingResetEnabled: boolean;
  /** GET / `version` and `commit`. */
  readonly version: string;
  readonly commit: string;
  /** PUT /admin/loggers/{name}?scope=cluster (distributed: every worker); standalone: this worker. */
  readonly setClusterLoggerLevel?: (namespace: string, level: string) => Promise<void>;
}

/** A request body no JSON parser read (another media type): Jersey answers 415 where a body is expected. */
export const UNSUPPORTED_BODY: unique symbol = Symbol("unsupported media type");

/** The JSON body (null when empty or absent), or Jersey's 415 for another media type. */
export function jsonBody(request: FastifyRequest): JsonBody | null {
  if (request.body === UNSUPPORTED_BODY) throw jerseyError(415);
  return request.body instanceof JsonBody ? request.body : null;
}

export function sendJson(reply: FastifyReply, status: number, body?: unknown): FastifyReply {
  reply.code(status);
  if (body === undefined) return reply.send();
  return reply.header("content-type", "application/json").send(stringifyJson(body));
}

export function relay(reply: FastifyReply, answer: RelayedAnswer): FastifyReply {
  return sendJson(reply, answer.status, answer.body);
}

type Query = Record<string, string | string[] | undefined>;

export function query(request: FastifyRequest): Query {
  return (request.query ?? {}) as Query;
}

/** A query parameter's first value. */
export function queryValue(request: FastifyRequest, name: string): string | undefined {
  const value = query(request)[name];
  return Array.isArray(value) ? value[0] : value;
}

/** Jersey's Boolean parse with a default: "true" in any case is true, anything else false. */
export function booleanParam(request: FastifyRequest, name: string, defaultValue: boolean): boolean {
  const value = queryValue(request, name);
  return value === undefined ? defaultValue : value.toLowerCase() === "true";
}

/** A path segment as it goes into a URL (forwarding, Location headers). */
export const segment = (value: string | number): string => encodeURIComponent(String(value));

/** The absolute URL of a path on this server, as Jersey resolves a relative Location. */
export function absoluteUrl(request: FastifyRequest, path: string): string {
  return `${request.protocol}://${request.headers.host ?? `${request.hostname}`}${path}`;
}
