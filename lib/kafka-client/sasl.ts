// SASL authentication of a new connection, as Kafka brokers expect it on SASL_PLAINTEXT and
// SASL_SSL listeners: after ApiVersions, a SaslHandshake (api 17, v1+) names the mechanism, then
// each SASL message travels in a SaslAuthenticate (api 36) request and the server's answer in
// its response, until the mechanism is done. An error code in either response, or a server
// message SCRAM cannot accept, ends with AuthenticationError (not retriable).
//
// PLAIN (RFC 4616) is one message: authzid NUL username NUL password, authzid empty.
// SCRAM-SHA-256/512 (RFC 5802, RFC 7677): client-first (gs2 header "n,,", the user name and a
// random nonce), server-first (the combined nonce, salt and iteration count), client-final (the
// proof that this client knows the salted password), server-final (the server's signature,
// which proves that the broker knows it too, checked before the connection is used).
import { createHash, createHmac, pbkdf2Sync, randomBytes, timingSafeEqual } from "node:crypto";
import { ErrorCode, errorName } from "../../broker/protocol/generated/errors.ts";
import { ApiKey } from "../../broker/protocol/generated/index.ts";
import type { BrokerConnection } from "./connection.ts";
import { AuthenticationError, UnsupportedVersionError } from "./errors.ts";

export type SaslMechanism = "PLAIN" | "SCRAM-SHA-256" | "SCRAM-SHA-512";

export const SASL_MECHANISMS: readonly SaslMechanism[] = ["PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512"];

export interface SaslOptions {
  mechanism: SaslMechanism;
  username: string;
  password: string;
}

/** The client's side of one SASL exchange. */
export interface SaslExchange {
  /** The client's first message. */
  readonly first: Buffer;
  /**
   * The client's reply to a server message, or null once the exchange is complete. Throws
   * (a plain Error saying why) when the server's message is malformed or proves nothing.
   */
  reply(serverMessage: Buffer): Buffer | null;
}

/** PLAIN: the credentials in one message; the server answers with nothing when it accepts them. */
export function plainExchange(username: string, password: string): SaslExchange {
  return {
    first: Buffer.from(`\u0000${username}\u0000${password}`, "utf8"),
    reply: () => null,
  };
}

/** Kafka's minimum for SCRAM iterations: a server asking for fewer is refused (it would weaken the salted password). */
const MIN_SCRAM_ITERATIONS = 4096;

/** A SCRAM user name: "=" and "," are escaped as =3D and =2C (RFC 5802 section 5.1). */
function saslName(username: string): string {
  return username.replace(/=/g, "=3D").replace(/,/g, "=2C");
}

/** "k=v,k=v" → map; a value may itself contain "=" (base64). */
function attributes(message: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const part of message.split(",")) {
    const eq = part.indexOf("=");
    if (eq !== 1) throw new Error(`malformed SCRAM attribute "${part}" in "${message}"`);
    out.set(part[0]!, part.slice(2));
  }
  return out;
}

/**
 * SCRAM with SHA-256 or SHA-512. `clientNonce` is random unless given (the RFC's test vectors
 * fix it). Passwords are used as UTF-8 without SASLprep, as Kafka's own clients do.
 */
export function scramExchange(hash: "sha256" | "sha512", username: string, password: string, clientNonce = randomBytes(24).toString("base64")): SaslExchange {
  const hashBytes = hash === "sha256" ? 32 : 64;
  const hmac = (key: Buffer, data: string): Buffer => createHmac(hash, key).update(data, "utf8").digest();
  const gs2Header = "n,,";
  const clientFirstBare = `n=${saslName(username)},r=${clientNonce}`;
  let expectedServerSignature: Buffer | undefined;
  let step = 0;
  return {
    first: Buffer.from(gs2Header + clientFirstBare, "utf8"),
    reply(serverMessage: Buffer): Buffer | null {
      const text = serverMessage.toString("utf8");
      const attrs = attributes(text);
      const serverError = attrs.get("e");
      if (serverError !== undefined) throw new Error(`the server ended the SCRAM exchange: ${serverError}`);
      step++;
      if (step === 1) {
        if (attrs.has("m")) throw new Error("the server asks for a SCRAM extension this client does not know");
        const nonce = attrs.get("r") ?? "";
        const salt = Buffer.from(attrs.get("s") ?? "", "base64");
        const iterations = Number(attrs.get("i"));
        if (!nonce.startsWith(clientNonce) || nonce.length === clientNonce.length) throw new Error("the server's nonce does not extend the client's");
        if (salt.length === 0) throw new Error("the server sent no salt");
        if (!Number.isInteger(iterations) || iterations < MIN_SCRAM_ITERATIONS) throw new Error(`the server asks for ${attrs.get("i")} iterations (at least ${MIN_SCRAM_ITERATIONS} are required)`);
        const saltedPassword = pbkdf2Sync(Buffer.from(password, "utf8"), salt, iterations, hashBytes, hash);
        const clientKey = hmac(saltedPassword, "Client Key");
        const storedKey = createHash(hash).update(clientKey).digest();
        const clientFinalWithoutProof = `c=${Buffer.from(gs2Header).toString("base64")},r=${nonce}`;
        const authMessage = `${clientFirstBare},${text},${clientFinalWithoutProof}`;
        const clientSignature = hmac(storedKey, authMessage);
        const proof = Buffer.alloc(hashBytes);
        for (let i = 0; i < hashBytes; i++) proof[i] = clientKey[i]! ^ clientSignature[i]!;
        expectedServerSignature = hmac(hmac(saltedPassword, "Server Key"), authMessage);
        return Buffer.from(`${clientFinalWithoutProof},p=${proof.toString("base64")}`, "utf8");
      }
      if (step === 2 && expectedServerSignature) {
        const signature = Buffer.from(attrs.get("v") ?? "", "base64");
        if (signature.length !== expectedServerSignature.length || !timingSafeEqual(signature, expectedServerSignature)) {
          throw new Error("the server's signature is wrong: it does not know this user's credentials (not the broker it claims to be?)");
        }
        return null;
      }
      throw new Error("the server sent a message after the SCRAM exchange was complete");
    },
  };
}

function exchangeFor(options: SaslOptions): SaslExchange {
  switch (options.mechanism) {
    case "PLAIN":
      return plainExchange(options.username, options.password);
    case "SCRAM-SHA-256":
      return scramExchange("sha256", options.username, options.password);
    case "SCRAM-SHA-512":
      return scramExchange("sha512", options.username, options.password);
    default:
      throw new Error(`SASL mechanism ${String(options.mechanism)} is not supported (use one of ${SASL_MECHANISMS.join(", ")})`);
  }
}

/**
 * Authenticates a connection that has just negotiated its API versions, every request within
 * `deadline` (a Date.now() value). Resolves with the session lifetime the broker granted in ms
 * (0: none; KIP-368), rejects with AuthenticationError when the broker refuses.
 */
export async function authenticate(conn: BrokerConnection, options: SaslOptions, deadline: number): Promise<number> {
  const address = conn.address;
  const left = (): number => Math.max(1, deadline - Date.now());
  // v0 of SaslHandshake means SASL tokens without Kafka framing, which only pre-1.0 brokers need.
  const handshakeVersion = conn.version(ApiKey.SaslHandshake, 1);
  if (handshakeVersion < 1) throw new UnsupportedVersionError(`broker ${address} speaks only SaslHandshake v0 (Kafka before 1.0); this client needs v1`);
  const handshake = await conn.request(ApiKey.SaslHandshake, handshakeVersion, { mechanism: options.mechanism }, left());
  if (handshake.errorCode === ErrorCode.UNSUPPORTED_SASL_MECHANISM) {
    throw new AuthenticationError(address, "UNSUPPORTED_SASL_MECHANISM", handshake.errorCode, `broker ${address} does not offer SASL mechanism ${options.mechanism} on this listener (it offers: ${handshake.mechanisms.join(", ") || "none"})`);
  }
  if (handshake.errorCode !== ErrorCode.NONE) {
    const name = errorName(handshake.errorCode);
    const hint = handshake.errorCode === ErrorCode.ILLEGAL_SASL_STATE ? " (a listener without SASL? check security.protocol)" : "";
    throw new AuthenticationError(address, name, handshake.errorCode, `broker ${address} answered the SASL handshake for ${options.mechanism} with ${name}${hint}`);
  }
  const exchange = exchangeFor(options);
  const authenticateVersion = conn.version(ApiKey.SaslAuthenticate);
  let message: Buffer | null = exchange.first;
  let lifetimeMs = 0;
  while (message !== null) {
    const response = await conn.request(ApiKey.SaslAuthenticate, authenticateVersion, { authBytes: message }, left());
    if (response.errorCode !== ErrorCode.NONE) {
      const name = errorName(response.errorCode);
      throw new AuthenticationError(address, name, response.errorCode, `broker ${address} refused ${options.mechanism} authentication as "${options.username}": ${response.errorMessage ?? name}`);
    }
    lifetimeMs = Number(response.sessionLifetimeMs);
    try {
      message = exchange.reply(response.authBytes);
    } catch (err) {
      throw new AuthenticationError(address, "SASL_AUTHENTICATION_FAILED", undefined, `${options.mechanism} authentication as "${options.username}" with broker ${address} failed: ${(err as Error).message}`, { cause: err });
    }
  }
  return lifetimeMs;
}
