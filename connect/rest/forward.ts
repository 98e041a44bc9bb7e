// Requests a follower cannot serve go to the worker that can (Kafka's HerderRequestHandler):
// the herder throws a RequestTargetError naming that worker's URL, and the REST layer sends the
// same request there with `forward=true|false` and relays the answer. A request that arrives
// without `forward` may be forwarded again once (two hops); one that arrives with forward=false
// must be served where it lands, else 409.
import { ConnectRestError, RebalanceNeededError, RequestTargetError } from "../runtime/herder/errors.ts";
import { REBALANCE_NEEDED_MESSAGE } from "./errors.ts";
import { stringifyJson } from "./json.ts";

export interface ForwardTarget {
  /** The path on the target worker, its parts URL-encoded ("/connectors/a%20b/restart"). */
  readonly path: string;
  readonly method: "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
  readonly body?: unknown;
  /** Query parameters to pass on besides `forward` (restart's includeTasks/onlyFailed). */
  readonly query?: Readonly<Record<string, string>>;
  /** Headers to pass on (an internal request's signature). */
  readonly headers?: Readonly<Record<string, string>>;
}

/** The target worker's answer, relayed as it came. */
export interface RelayedAnswer {
  readonly status: number;
  readonly body: unknown;
  readonly contentType: string | null;
}

export type Outcome<T> = { readonly forwarded: false; readonly value: T } | { readonly forwarded: true; readonly answer: RelayedAnswer };

/** Kafka's `forward` query parameter: absent (null), or Jersey's Boolean parse ("true", any case, else false). */
export function forwardParam(value: unknown): boolean | null {
  if (value === undefined) return null;
  const text = Array.isArray(value) ? String(value[0]) : String(value);
  return text.toLowerCase() === "true";
}

/** Resolves with the work's result, or rejects with Kafka's 500 "Request timed out" after timeoutMs. */
export async function withTimeout<T>(work: Promise<T>, timeoutMs: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      work,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new ConnectRestError(500, "Request timed out")), timeoutMs);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

function targetUrl(base: string, target: ForwardTarget, recursiveForward: boolean): string {
  const url = new URL(base);
  url.pathname = `${url.pathname.replace(/\/+$/, "")}${target.path}`;
  url.search = "";
  url.searchParams.set("forward", String(recursiveForward));
  for (const [k, v] of Object.entries(target.query ?? {})) url.searchParams.set(k, v);
  return url.toString();
}

async function send(url: string, target: ForwardTarget, timeoutMs: number): Promise<RelayedAnswer> {
  const hasBody = target.body !== undefined;
  let response: Response;
  try {
    response = await fetch(url, {
      method: target.method,
      headers: { ...target.headers, ...(hasBody ? { "content-type": "application/json" } : {}), accept: "application/json" },
      ...(hasBody ? { body: stringifyJson(target.body) } : {}),
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (err) {
    if (err instanceof Error && (err.name === "TimeoutError" || err.name === "AbortError")) throw new ConnectRestError(500, "Request timed out");
    throw new ConnectRestError(500, `IO Error trying to forward REST request: ${err instanceof Error ? err.message : String(err)}`);
  }
  const text = await response.text();
  let body: unknown = undefined;
  if (text !== "") {
    try {
      body = JSON.parse(text);
    } catch {
      body = text;
    }
  }
  return { status: response.status, body, contentType: response.headers.get("content-type") };
}

/**
 * Runs the herder call; if it names another worker as the one to serve the request, forwards the
 * request there (as Kafka: at most two hops) and returns that worker's answer instead.
 */
export async function completeOrForward<T>(work: () => Promise<T>, forward: boolean | null, target: ForwardTarget, timeoutMs: number): Promise<Outcome<T>> {
  try {
    return { forwarded: false, value: await withTimeout(work(), timeoutMs) };
  } catch (err) {
    if (err instanceof RebalanceNeededError) throw new ConnectRestError(409, REBALANCE_NEEDED_MESSAGE, { cause: err });
    if (!(err instanceof RequestTargetError)) throw err;
    if (forward === null || forward) {
      if (err.forwardUrl === null) {
        throw new ConnectRestError(409, "Cannot complete request momentarily due to no known leader URL, likely because a rebalance was underway.", { cause: err });
      }
      // Only the worker the user called (no `forward` yet) may let the next one forward again.
      const answer = await send(targetUrl(err.forwardUrl, target, forward === null), target, timeoutMs);
      return { forwarded: true, answer };
    }
    throw new ConnectRestError(409, "Cannot complete request because of a conflicting operation (e.g. worker rebalance)", { cause: err });
  }
}
