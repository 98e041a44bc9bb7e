// HTTP calls to a Connect worker's REST API that keep what the conformance suite compares:
// the status code, the raw body and its JSON (when it is JSON).
import { expect } from "vitest";
import { mismatches, type Shape } from "./shape.ts";

export interface RestAnswer {
  readonly method: string;
  readonly path: string;
  readonly status: number;
  readonly text: string;
  /** The parsed body; undefined when the body is empty or not JSON. */
  readonly json: unknown;
  readonly contentType: string | null;
}

export interface CallOptions {
  /** A body sent exactly as given (malformed JSON tests); otherwise `body` is JSON-encoded. */
  readonly raw?: string;
  readonly contentType?: string;
}

export class RestClient {
  readonly url: string;

  constructor(url: string) {
    this.url = url;
  }

  async call(method: string, path: string, body?: unknown, options: CallOptions = {}): Promise<RestAnswer> {
    const payload = options.raw ?? (body === undefined ? undefined : JSON.stringify(body));
    const headers: Record<string, string> = { accept: "application/json" };
    if (payload !== undefined) headers["content-type"] = options.contentType ?? "application/json";
    const response = await fetch(`${this.url}${path}`, { method, headers, body: payload, signal: AbortSignal.timeout(90_000) });
    const text = await response.text();
    let json: unknown;
    try {
      json = text === "" ? undefined : JSON.parse(text);
    } catch {
      json = undefined;
    }
    return { method, path, status: response.status, text, json, contentType: response.headers.get("content-type") };
  }

  get = (path: string): Promise<RestAnswer> => this.call("GET", path);
  delete = (path: string): Promise<RestAnswer> => this.call("DELETE", path);
  post = (path: string, body?: unknown, options?: CallOptions): Promise<RestAnswer> => this.call("POST", path, body, options);
  put = (path: string, body?: unknown, options?: CallOptions): Promise<RestAnswer> => this.call("PUT", path, body, options);
  patch = (path: string, body?: unknown, options?: CallOptions): Promise<RestAnswer> => this.call("PATCH", path, body, options);
}

export interface AnswerOptions {
  /**
   * Whether the JSON body must be labelled application/json (default). Kafka's answers to
   * requests no resource matches (404 route, 405, 415) come from JAX-RS without a Content-Type:
   * those checks pass `false`, leaving the header free.
   */
  readonly jsonContentType?: boolean;
}

/**
 * Asserts the status code and the body's shape. `undefined` as the shape means an empty body.
 * The failure message names the request and lists every mismatch.
 */
export function expectAnswer(answer: RestAnswer, status: number, shape: Shape | undefined, options: AnswerOptions = {}): void {
  const problems: string[] = [];
  if (answer.status !== status) problems.push(`status: expected ${status}, got ${answer.status}`);
  if (shape === undefined) {
    if (answer.text !== "") problems.push(`body: expected none, got ${answer.text.slice(0, 300)}`);
  } else if (answer.json === undefined) {
    problems.push(`body: expected JSON, got ${JSON.stringify(answer.text.slice(0, 300))}`);
  } else {
    problems.push(...mismatches(answer.json, shape));
    if (options.jsonContentType !== false && !answer.contentType?.startsWith("application/json")) problems.push(`content-type: expected application/json, got ${answer.contentType}`);
  }
  expect(problems, `${answer.method} ${answer.path} → ${answer.status} ${answer.text.slice(0, 500)}`).toEqual([]);
}

/** Retries `attempt` until it stops throwing (status changes are asynchronous in Connect). */
export async function eventually<T>(attempt: () => Promise<T>, timeoutMs = 30_000, intervalMs = 200): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await attempt();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, intervalMs));
    }
  }
}

/** Polls until the answer matches, then asserts it (so a timeout reports the last mismatch). */
export async function eventuallyAnswer(request: () => Promise<RestAnswer>, status: number, shape: Shape | undefined, timeoutMs = 30_000): Promise<RestAnswer> {
  return eventually(async () => {
    const answer = await request();
    expectAnswer(answer, status, shape);
    return answer;
  }, timeoutMs);
}
