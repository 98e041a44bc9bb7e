// Requests between workers (Kafka's internal REST endpoints): a worker running a connector sends
// the connector's new task configs to the group's leader, which alone writes the config topic
// (POST /connectors/{connector}/tasks, body: the list of task configs). With the "sessioned"
// protocol (KIP-507) the request is signed with the session key the leader distributes through
// the config topic: X-Connect-Authorization carries the base64 HMAC of the request body and
// X-Connect-Request-Signature-Algorithm the javax.crypto algorithm name (HmacSHA256 by default).
import { createHmac, timingSafeEqual } from "node:crypto";
import { ConnectRestError } from "../errors.ts";
import type { SessionKey } from "../../../storage/kafka/config-records.ts";

export const SIGNATURE_HEADER = "X-Connect-Authorization";
export const SIGNATURE_ALGORITHM_HEADER = "X-Connect-Request-Signature-Algorithm";
export const DEFAULT_SIGNATURE_ALGORITHM = "HmacSHA256";

/** javax.crypto Mac names → node's digest names. */
const DIGESTS: Readonly<Record<string, string>> = { HmacSHA256: "sha256", HmacSHA384: "sha384", HmacSHA512: "sha512", HmacSHA1: "sha1" };

export function sign(key: SessionKey, body: Buffer, algorithm = DEFAULT_SIGNATURE_ALGORITHM): string {
  const digest = DIGESTS[algorithm];
  if (!digest) throw new ConnectRestError(400, `Unsupported signature algorithm ${algorithm}`);
  return createHmac(digest, key.key).update(body).digest("base64");
}

export interface RequestSignature {
  readonly signature: string;
  readonly algorithm: string;
}

/** The signature headers of a request, or null when it carries none. */
export function signatureFromHeaders(headers: Readonly<Record<string, string | string[] | undefined>>): RequestSignature | null {
  const get = (name: string): string | undefined => {
    const v = headers[name] ?? headers[name.toLowerCase()];
    return Array.isArray(v) ? v[0] : v;
  };
  const signature = get(SIGNATURE_HEADER);
  if (signature === undefined) return null;
  return { signature, algorithm: get(SIGNATURE_ALGORITHM_HEADER) ?? DEFAULT_SIGNATURE_ALGORITHM };
}

/** Kafka's checks: a sessioned group needs a signature (400 without) that matches (403 otherwise). */
export function verifySignature(key: SessionKey | null, body: Buffer, signature: RequestSignature | null): void {
  if (signature === null) throw new ConnectRestError(400, "Internal request missing required signature");
  if (key === null) throw new ConnectRestError(403, "Internal request was signed, but this worker has no session key yet; retry later");
  if (!DIGESTS[signature.algorithm]) throw new ConnectRestError(400, `Internal request signature algorithm ${signature.algorithm} is not supported`);
  const expected = Buffer.from(sign(key, body, signature.algorithm), "base64");
  const given = Buffer.from(signature.signature, "base64");
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) throw new ConnectRestError(403, "Internal request contained invalid signature.");
}

/** How a worker reaches the leader with task configs. */
export interface LeaderClient {
  putTaskConfigs(leaderUrl: string, connector: string, configs: ReadonlyArray<Record<string, string>>, sessionKey: SessionKey | null): Promise<void>;
}

/** Over HTTP to the leader's REST API, as Kafka's workers do. */
export class HttpLeaderClient implements LeaderClient {
  readonly #timeoutMs: number;

  constructor(timeoutMs = 90_000) {
    this.#timeoutMs = timeoutMs;
  }

  async putTaskConfigs(leaderUrl: string, connector: string, configs: ReadonlyArray<Record<string, string>>, sessionKey: SessionKey | null): Promise<void> {
    const url = new URL(leaderUrl);
    url.pathname = `${url.pathname.replace(/\/+$/, "")}/connectors/${encodeURIComponent(connector)}/tasks`;
    url.searchParams.set("forward", "true");
    const body = Buffer.from(JSON.stringify(configs), "utf8");
    const headers: Record<string, string> = { "content-type": "application/json", accept: "application/json" };
    if (sessionKey !== null) {
      headers[SIGNATURE_HEADER] = sign(sessionKey, body);
      headers[SIGNATURE_ALGORITHM_HEADER] = DEFAULT_SIGNATURE_ALGORITHM;
    }
    const response = await fetch(url, { method: "POST", headers, body, signal: AbortSignal.timeout(this.#timeoutMs) });
    if (response.status >= 300) {
      const text = await response.text();
      let message = text;
      try {
        message = (JSON.parse(text) as { message?: string }).message ?? text;
      } catch {
        // not JSON: keep the text
      }
      throw new ConnectRestError(response.status, `the leader at ${leaderUrl} refused the task configs of ${connector}: ${message}`);
    }
  }
}
