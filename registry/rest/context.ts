// What the registry's route handlers share: the service, content negotiation, answers, query
// parameters read the way Jersey reads them, and forwarding writes to the leader.
import type { FastifyReply, FastifyRequest } from "fastify";
import type { Logger } from "../../lib/logger.ts";
import { errors, NotLeaderError, RegistryError } from "../errors.ts";
import type { RegistryService } from "../service.ts";
import { type Json, parseBody, type Writable, writeJson } from "./json.ts";

export interface RegistryRestContext {
  readonly service: RegistryService;
  readonly log: Logger;
  /** How long a request forwarded to the leader may take. */
  readonly forwardTimeoutMs: number;
}

export const V1_JSON = "application/vnd.schemaregistry.v1+json";
export const DEFAULT_JSON = "application/vnd.schemaregistry+json";
export const JSON_TYPE = "application/json";
/** Request media types Confluent's resources consume (the last is its GENERIC_REQUEST). */
const CONSUMED = new Set([V1_JSON, DEFAULT_JSON, JSON_TYPE, "application/octet-stream"]);
/** Response media types with Confluent's weights (qs). */
const PRODUCED: ReadonlyArray<readonly [string, number]> = [
  [V1_JSON, 1],
  [DEFAULT_JSON, 0.9],
  [JSON_TYPE, 0.5],
];

/** Marks a request one instance forwarded to another, so that it is not forwarded again. */
export const FORWARDED_HEADER = "x-hub-registry-forwarded";

/** The response media type for an Accept header (Jersey's negotiation: client q times server qs); null: none acceptable. */
export function negotiate(accept: string | undefined): string | null {
  if (accept === undefined || accept.trim() === "") return V1_JSON;
  let best: string | null = null;
  let bestScore = 0;
  for (const part of accept.split(",")) {
    const [range = "", ...params] = part.trim().split(";").map((s) => s.trim());
    const q = Number(params.find((p) => p.startsWith("q="))?.slice(2) ?? "1");
    const r = range.toLowerCase();
    for (const [type, qs] of PRODUCED) {
      const [major] = type.split("/");
      const matches = r === "*/*" || r === `${major}/*` || r === type;
      const score = (Number.isNaN(q) ? 1 : q) * qs;
      if (matches && score > bestScore) {
        best = type;
        bestScore = score;
      }
    }
  }
  return best;
}

export function sendJson(request: FastifyRequest, reply: FastifyReply, status: number, body: Writable): FastifyReply {
  return reply
    .code(status)
    .header("content-type", negotiate(request.headers.accept) ?? V1_JSON)
    // A buffer, so that fastify adds no charset parameter (Jersey sends the bare media type).
    .send(Buffer.from(writeJson(body), "utf8"));
}

/** A raw text answer (GET .../schema), with the JSON media type Confluent's resources produce. */
export function sendText(request: FastifyRequest, reply: FastifyReply, text: string): FastifyReply {
  return reply
    .code(200)
    .header("content-type", negotiate(request.headers.accept) ?? V1_JSON)
    .send(Buffer.from(text, "utf8"));
}

export function sendError(request: FastifyRequest, reply: FastifyReply, error: RegistryError): FastifyReply {
  return sendJson(request, reply, error.status, { error_code: error.errorCode, message: error.message });
}

/** Jersey's answers for requests no resource takes. */
export const httpError = (status: 404 | 405 | 406 | 413 | 415): RegistryError => {
  const text = { 404: "Not Found", 405: "Method Not Allowed", 406: "Not Acceptable", 413: "Request Entity Too Large", 415: "Unsupported Media Type" }[status];
  return new RegistryError(status, status, `HTTP ${status} ${text}`);
};

function queryValue(request: FastifyRequest, name: string): string | undefined {
  const v = (request.query as Record<string, unknown> | undefined)?.[name];
  if (v === undefined) return undefined;
  return Array.isArray(v) ? String(v[0]) : String(v);
}

/** A boolean query parameter as Jersey reads it: "true" in any case, anything else false. */
export function queryBoolean(request: FastifyRequest, name: string): boolean {
  return queryValue(request, name)?.toLowerCase() === "true";
}

export function queryString(request: FastifyRequest, name: string): string | undefined {
  return queryValue(request, name);
}

/** An int query parameter with a default; a value that is not an int is Jersey's 404. */
export function queryInt(request: FastifyRequest, name: string, fallback: number): number {
  const v = queryValue(request, name);
  if (v === undefined || v === "") return fallback;
  if (!/^[+-]?\d+$/.test(v.trim())) throw httpError(404);
  return Number(v.trim());
}

export function pathParam(request: FastifyRequest, name: string): string {
  return String((request.params as Record<string, unknown>)[name] ?? "");
}

/** An Integer path parameter (schema ids); anything else does not match the resource: 404. */
export function pathInt(request: FastifyRequest, name: string): number {
  const raw = pathParam(request, name).trim();
  if (!/^[+-]?\d+$/.test(raw)) throw httpError(404);
  const n = Number(raw);
  if (n > 2 ** 31 - 1 || n < -(2 ** 31)) throw httpError(404);
  return n;
}

/** The request body as JSON, after checking its media type is one the resources consume. */
export function requestBody(request: FastifyRequest): Json | undefined {
  const type = request.headers["content-type"]?.split(";")[0]?.trim().toLowerCase();
  if (type !== undefined && type !== "" && !CONSUMED.has(type)) throw httpError(415);
  const raw = request.body;
  return parseBody(typeof raw === "string" ? raw : undefined);
}

export interface ForwardMessages {
  /** 50003's message when the leader cannot be reached. */
  readonly failed: string;
  /** 50004's message when no leader is known. */
  readonly noLeader: string;
}

/** Sends the request as it came to the leader and relays its answer (Confluent's leader forwarding). */
async function forward(ctx: RegistryRestContext, request: FastifyRequest, reply: FastifyReply, leaderUrl: string, messages: ForwardMessages): Promise<FastifyReply> {
  const url = new URL(request.url, leaderUrl.endsWith("/") ? leaderUrl : `${leaderUrl}/`);
  const headers: Record<string, string> = { [FORWARDED_HEADER]: "1" };
  for (const name of ["content-type", "accept", "authorization"]) {
    const v = request.headers[name];
    if (typeof v === "string") headers[name] = v;
  }
  const body = typeof request.body === "string" && request.method !== "GET" && request.method !== "DELETE" ? request.body : undefined;
  let response: Response;
  try {
    response = await fetch(url, { method: request.method, headers, ...(body !== undefined ? { body } : {}), signal: AbortSignal.timeout(ctx.forwardTimeoutMs) });
  } catch (err) {
    ctx.log.warn({ err: (err as Error).message, leader: leaderUrl, method: request.method, url: request.url }, "forwarding a write to the leader failed");
    throw errors.forwarding(messages.failed, err);
  }
  const text = await response.text();
  ctx.log.debug({ leader: leaderUrl, method: request.method, url: request.url, status: response.status }, "forwarded a write to the leader");
  return reply
    .code(response.status)
    .header("content-type", response.headers.get("content-type") ?? V1_JSON)
    .send(Buffer.from(text, "utf8"));
}

/**
 * Runs a write; on a follower, sends the request to the leader instead and relays its answer.
 * A request that was already forwarded once is not forwarded again.
 */
export async function writeOrForward<T>(
  ctx: RegistryRestContext,
  request: FastifyRequest,
  reply: FastifyReply,
  messages: ForwardMessages,
  work: () => Promise<T>,
  answer: (value: T) => Writable,
): Promise<FastifyReply> {
  try {
    return sendJson(request, reply, 200, answer(await work()));
  } catch (err) {
    if (!(err instanceof NotLeaderError)) throw err;
    if (err.leaderUrl === null) throw errors.unknownLeader(messages.noLeader);
    if (request.headers[FORWARDED_HEADER] !== undefined) throw errors.forwarding(messages.failed, err);
    return forward(ctx, request, reply, err.leaderUrl, messages);
  }
}
