// One connection to one broker (TCP, or TLS over it): framing, correlation ids, the map of
// requests waiting for answers, per-request deadlines, the ApiVersions handshake that fixes
// which version of each API this connection speaks, then SASL authentication when asked
// (sasl.ts). Kafka answers a connection's requests in the order they came and serves them one
// at a time, so several requests may be in flight (pipelined) but a long poll holds up
// whatever was sent after it on the same connection.
import { connect, isIP, type Socket } from "node:net";
import { connect as tlsConnect, type ConnectionOptions as TlsOptions } from "node:tls";
import { ErrorCode, KafkaError } from "../../broker/protocol/generated/errors.ts";
import { ApiKey, apiDefinition, encodeRequestHeader, requestHeaderVersion, responseHeaderVersion, type ApiMessages } from "../../broker/protocol/generated/index.ts";
import { Reader } from "../../broker/protocol/primitives/reader.ts";
import { Writer } from "../../broker/protocol/primitives/writer.ts";
import type { Logger } from "../logger.ts";
import { AuthenticationError, ClientClosedError, ConnectionError, RequestTimeoutError, UnsupportedVersionError } from "./errors.ts";
import { FrameReader } from "./frame-reader.ts";
import { authenticate, type SaslOptions } from "./sasl.ts";
import { chooseVersion, clientVersionRange, type VersionRange } from "./versions.ts";

export type ApiKeyNumber = keyof ApiMessages;
export type RequestOf<K extends ApiKeyNumber> = ApiMessages[K]["request"];
export type ResponseOf<K extends ApiKeyNumber> = ApiMessages[K]["response"];

export interface ConnectionOptions {
  host: string;
  port: number;
  clientId: string;
  /** Covers the TCP connect, the TLS handshake, ApiVersions and SASL authentication. */
  connectTimeoutMs: number;
  logger: Logger;
  /** Largest response frame accepted (a bigger size prefix means a corrupt stream). */
  maxFrameBytes?: number;
  /**
   * Connect with TLS (SSL and SASL_SSL listeners), with these node:tls options (ca, cert, key,
   * checkServerIdentity...). The server name for SNI is the broker's host unless it is an IP
   * address or `servername` is set.
   */
  tls?: TlsOptions;
  /** Authenticate with SASL after ApiVersions (SASL_PLAINTEXT and SASL_SSL listeners). */
  sasl?: SaslOptions;
}

/**
 * OpenSSL's certificate verification failures (Node reports them with these codes) and TLS
 * alerts: the handshake was refused, which no retry changes. Anything else (ECONNRESET...)
 * is a network failure.
 */
const TLS_VERIFY_CODES = new Set([
  "UNABLE_TO_GET_ISSUER_CERT",
  "UNABLE_TO_GET_CRL",
  "UNABLE_TO_DECRYPT_CERT_SIGNATURE",
  "UNABLE_TO_DECODE_ISSUER_PUBLIC_KEY",
  "CERT_SIGNATURE_FAILURE",
  "CERT_NOT_YET_VALID",
  "CERT_HAS_EXPIRED",
  "ERROR_IN_CERT_NOT_BEFORE_FIELD",
  "ERROR_IN_CERT_NOT_AFTER_FIELD",
  "DEPTH_ZERO_SELF_SIGNED_CERT",
  "SELF_SIGNED_CERT_IN_CHAIN",
  "UNABLE_TO_GET_ISSUER_CERT_LOCALLY",
  "UNABLE_TO_VERIFY_LEAF_SIGNATURE",
  "CERT_CHAIN_TOO_LONG",
  "CERT_REVOKED",
  "INVALID_CA",
  "PATH_LENGTH_EXCEEDED",
  "INVALID_PURPOSE",
  "CERT_UNTRUSTED",
  "CERT_REJECTED",
  "HOSTNAME_MISMATCH",
  "ERR_TLS_CERT_ALTNAME_INVALID",
]);

function isTlsRefusal(err: Error): boolean {
  const code = (err as NodeJS.ErrnoException).code ?? "";
  return TLS_VERIFY_CODES.has(code) || code.startsWith("ERR_SSL_");
}

function tlsFailure(address: string, err: Error): AuthenticationError {
  const code = (err as NodeJS.ErrnoException).code ?? "";
  const why =
    code === "ERR_TLS_CERT_ALTNAME_INVALID" || code === "HOSTNAME_MISMATCH"
      ? "" // Node's message names the host and the certificate's names
      : TLS_VERIFY_CODES.has(code)
        ? " (the broker's certificate does not chain to a trusted CA)"
        : code.includes("ALERT")
          ? " (the broker refused the handshake: a client certificate missing or not trusted?)"
          : "";
  return new AuthenticationError(address, "SSL_AUTHENTICATION_FAILED", undefined, `TLS handshake with broker ${address} failed: ${err.message.trim()}${why}`, { cause: err });
}

/** A TCP or TLS socket, resolved once it can carry Kafka requests. */
function openSocket(options: ConnectionOptions, address: string): Promise<Socket> {
  return new Promise<Socket>((resolve, reject) => {
    const { host, port, tls } = options;
    let s: Socket;
    if (tls) {
      const servername = tls.servername ?? (isIP(host) === 0 ? host : undefined);
      try {
        s = tlsConnect({ ...tls, host, port, ...(servername !== undefined ? { servername } : {}) });
      } catch (err) {
        // A key or certificate OpenSSL cannot read: a configuration error, not worth a retry.
        reject(new Error(`cannot connect to broker ${address}: the TLS options are not usable: ${(err as Error).message}`, { cause: err }));
        return;
      }
    } else {
      s = connect({ host, port });
    }
    const what = tls ? "TLS connection" : "TCP connection";
    const timer = setTimeout(() => {
      s.destroy();
      reject(new ConnectionError(address, `cannot connect to broker ${address}: no ${what} within ${options.connectTimeoutMs} ms`));
    }, options.connectTimeoutMs);
    s.once(tls ? "secureConnect" : "connect", () => {
      clearTimeout(timer);
      s.removeAllListeners("error");
      s.setNoDelay(true);
      s.setKeepAlive(true, 30_000);
      resolve(s);
    });
    s.once("error", (err) => {
      clearTimeout(timer);
      s.destroy();
      reject(tls && isTlsRefusal(err) ? tlsFailure(address, err) : new ConnectionError(address, `cannot connect to broker ${address}: ${err.message}`, { cause: err }));
    });
  });
}

/** setTimeout's limit; a SASL session longer than this (~24 days) is retired then. */
const MAX_TIMER_MS = 2 ** 31 - 1;

interface Pending {
  apiKey: number;
  version: number;
  decode: (r: Reader) => unknown;
  resolve: (body: unknown) => void;
  reject: (err: Error) => void;
  timer: NodeJS.Timeout;
}

const SOFTWARE_NAME = "hub-kafka-client";
const SOFTWARE_VERSION = "1.0";

function apiName(apiKey: number): string {
  return apiDefinition(apiKey)?.name ?? `api ${apiKey}`;
}

export class BrokerConnection {
  readonly address: string;
  private readonly socket: Socket;
  private readonly clientId: string;
  private readonly log: Logger;
  private readonly frames: FrameReader;
  private readonly pending = new Map<number, Pending>();
  private nextCorrelationId = 0;
  private brokerVersions = new Map<number, VersionRange>();
  private closeError: Error | undefined;
  private readonly closeListeners: (() => void)[] = [];
  /** Until open() is done: a TLS alert then means the handshake was refused (TLS 1.3 refuses a client certificate after it). */
  private opening = true;
  /** Set once the SASL session is about to expire: no new requests, closed when the last answer arrives. */
  private retiring = false;
  private retireTimer: NodeJS.Timeout | undefined;

  private constructor(socket: Socket, options: ConnectionOptions) {
    this.socket = socket;
    this.address = `${options.host}:${options.port}`;
    this.clientId = options.clientId;
    this.log = options.logger;
    this.frames = new FrameReader(options.maxFrameBytes ?? 1024 * 1024 * 1024);
    socket.on("data", (chunk: Buffer) => {
      try {
        this.frames.push(chunk, (frame) => this.onFrame(frame));
      } catch (err) {
        this.fail(new ConnectionError(this.address, `connection to ${this.address} dropped: ${(err as Error).message}`, { cause: err }));
      }
    });
    socket.on("error", (err) =>
      this.fail(this.opening && options.tls && isTlsRefusal(err) ? tlsFailure(this.address, err) : new ConnectionError(this.address, `connection to ${this.address} failed: ${err.message}`, { cause: err })),
    );
    socket.on("close", () => this.fail(new ConnectionError(this.address, `connection to ${this.address} closed by the broker`)));
  }

  /**
   * Opens the connection, negotiates API versions and authenticates; rejects with
   * ConnectionError (retriable), or AuthenticationError when TLS or SASL refused this client.
   */
  static async open(options: ConnectionOptions): Promise<BrokerConnection> {
    const address = `${options.host}:${options.port}`;
    const deadline = Date.now() + options.connectTimeoutMs;
    const socket = await openSocket(options, address);
    const conn = new BrokerConnection(socket, options);
    let stalled = "did not answer ApiVersions within %s ms (is it a Kafka listener?)";
    try {
      await conn.negotiateVersions(Math.max(1, deadline - Date.now()));
      if (options.sasl) {
        stalled = `did not finish SASL ${options.sasl.mechanism} authentication within %s ms`;
        conn.retireBefore(await authenticate(conn, options.sasl, deadline));
      }
    } catch (err) {
      conn.close();
      if (err instanceof RequestTimeoutError) {
        throw new ConnectionError(address, `broker ${address} accepted the connection but ${stalled.replace("%s", String(options.connectTimeoutMs))}`);
      }
      throw err;
    }
    conn.opening = false;
    options.logger.debug({ broker: address, tls: options.tls !== undefined, sasl: options.sasl?.mechanism }, "kafka connection open");
    return conn;
  }

  /** Whether new requests may use this connection: false once closed, or retiring (see retireBefore). */
  get isOpen(): boolean {
    return this.closeError === undefined && !this.retiring;
  }

  /** Requests sent and not answered yet. */
  get inFlight(): number {
    return this.pending.size;
  }

  /** The broker's advertised range for an API, if it has one. */
  brokerRange(apiKey: number): VersionRange | undefined {
    return this.brokerVersions.get(apiKey);
  }

  /** The version this connection uses for an API: the highest both sides support, at most `cap`. */
  version(apiKey: number, cap?: number): number {
    const ours = clientVersionRange(apiKey);
    const theirs = this.brokerVersions.get(apiKey);
    const v = ours && chooseVersion(ours, theirs, cap);
    if (v === undefined) {
      const theirText = theirs ? `${theirs.minVersion}-${theirs.maxVersion}` : "none";
      const ourText = ours ? `${ours.minVersion}-${Math.min(ours.maxVersion, cap ?? ours.maxVersion)}` : "none";
      throw new UnsupportedVersionError(`broker ${this.address} and this client share no version of ${apiName(apiKey)} (broker: ${theirText}, client: ${ourText})`);
    }
    return v;
  }

  onClose(listener: () => void): void {
    if (this.closeError) listener();
    else this.closeListeners.push(listener);
  }

  /** Sends a request at the given version and resolves with the decoded response body. */
  request<K extends ApiKeyNumber>(apiKey: K, version: number, body: RequestOf<K>, timeoutMs: number): Promise<ResponseOf<K>> {
    const def = apiDefinition(apiKey);
    if (!def) return Promise.reject(new UnsupportedVersionError(`unknown API key ${apiKey}`));
    return this.send(apiKey, version, (w) => def.encodeRequest(w, version, body), (r) => def.decodeResponse(r, version), timeoutMs) as Promise<ResponseOf<K>>;
  }

  close(): void {
    this.fail(new ClientClosedError(`connection to ${this.address} closed by the client`));
  }

  private send(apiKey: number, version: number, encodeBody: (w: Writer) => void, decode: (r: Reader) => unknown, timeoutMs: number): Promise<unknown> {
    if (this.closeError) return Promise.reject(this.closeError);
    const correlationId = this.nextCorrelationId;
    this.nextCorrelationId = (this.nextCorrelationId + 1) | 0;
    const w = new Writer(256);
    const size = w.reserveInt32();
    encodeRequestHeader(w, requestHeaderVersion(apiKey, version), { requestApiKey: apiKey, requestApiVersion: version, correlationId, clientId: this.clientId });
    encodeBody(w);
    w.patchSizeSince(size);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(correlationId);
        const err = new RequestTimeoutError(this.address, `${apiName(apiKey)} v${version} to broker ${this.address} got no response within ${timeoutMs} ms`);
        reject(err);
        // A late answer would arrive out of step with what the caller now believes, so the
        // connection goes (Kafka's Java client does the same); the next request reconnects.
        this.fail(new ConnectionError(this.address, `connection to ${this.address} closed after a request timed out`));
      }, timeoutMs);
      this.pending.set(correlationId, { apiKey, version, decode, resolve, reject, timer });
      const chunks = w.toChunks();
      if (chunks.length === 1) this.socket.write(chunks[0]!);
      else {
        this.socket.cork();
        for (const c of chunks) this.socket.write(c);
        this.socket.uncork();
      }
    });
  }

  private onFrame(frame: Buffer): void {
    if (frame.length < 4) throw new Error(`response frame of ${frame.length} bytes has no correlation id`);
    const correlationId = frame.readInt32BE(0);
    const p = this.pending.get(correlationId);
    if (!p) throw new Error(`response with correlation id ${correlationId} matches no request in flight`);
    this.pending.delete(correlationId);
    clearTimeout(p.timer);
    try {
      const r = new Reader(frame, 4);
      if (responseHeaderVersion(p.apiKey, p.version) >= 1) r.unknownTaggedFields();
      p.resolve(p.decode(r));
    } catch (err) {
      p.reject(new Error(`cannot decode the ${apiName(p.apiKey)} v${p.version} response from ${this.address}: ${(err as Error).message}`, { cause: err }));
    }
    if (this.retiring && this.pending.size === 0) this.retire();
  }

  /**
   * A broker that limits SASL sessions (connections.max.reauth.ms, KIP-368) closes a connection
   * whose session has expired when the next request arrives. Rather than re-authenticate in
   * place, this client stops giving the connection new requests at 85% of the lifetime (the
   * pool opens and authenticates a fresh one) and closes it once its answers are in.
   */
  private retireBefore(sessionLifetimeMs: number): void {
    if (!(sessionLifetimeMs > 0)) return;
    this.retireTimer = setTimeout(() => {
      this.retiring = true;
      this.log.debug({ broker: this.address, sessionLifetimeMs }, "SASL session about to expire; moving to a new connection");
      if (this.pending.size === 0) this.retire();
    }, Math.min(Math.floor(sessionLifetimeMs * 0.85), MAX_TIMER_MS));
    this.retireTimer.unref();
  }

  private retire(): void {
    // Retriable, should a caller that took the connection just before still send on it.
    this.fail(new ConnectionError(this.address, `connection to ${this.address} closed before its SASL session expired`));
  }

  private fail(err: Error): void {
    if (this.closeError) return;
    this.closeError = err;
    clearTimeout(this.retireTimer);
    this.socket.destroy();
    for (const p of this.pending.values()) {
      clearTimeout(p.timer);
      p.reject(err);
    }
    if (!(err instanceof ClientClosedError)) this.log.debug({ broker: this.address, err: err.message, inFlight: this.pending.size }, "kafka connection closed");
    this.pending.clear();
    for (const l of this.closeListeners.splice(0)) l();
  }

  /**
   * ApiVersions, at the highest version this client knows. A broker that does not know that
   * version answers UNSUPPORTED_VERSION in the v0 layout, listing its own range, and the
   * request is repeated at the highest version both support (KIP-511).
   */
  private async negotiateVersions(timeoutMs: number): Promise<void> {
    const def = apiDefinition(ApiKey.ApiVersions)!;
    const ours = clientVersionRange(ApiKey.ApiVersions)!;
    // The error code leads the body in every version, so it tells which layout follows.
    const decodeEither = (version: number) => (r: Reader) =>
      def.decodeResponse(r, r.buf.readInt16BE(r.pos) === ErrorCode.UNSUPPORTED_VERSION ? 0 : version) as ResponseOf<18>;
    let version = ours.maxVersion;
    for (let attempt = 0; attempt < 2; attempt++) {
      const request: RequestOf<18> = { clientSoftwareName: SOFTWARE_NAME, clientSoftwareVersion: SOFTWARE_VERSION };
      const response = (await this.send(ApiKey.ApiVersions, version, (w) => def.encodeRequest(w, version, request), decodeEither(version), timeoutMs)) as ResponseOf<18>;
      if (response.errorCode === ErrorCode.UNSUPPORTED_VERSION && attempt === 0) {
        const theirs = response.apiKeys.find((k) => k.apiKey === ApiKey.ApiVersions);
        const v = chooseVersion(ours, theirs);
        if (v === undefined) throw new UnsupportedVersionError(`broker ${this.address} supports no ApiVersions version this client speaks`);
        version = v;
        continue;
      }
      if (response.errorCode !== ErrorCode.NONE) throw new KafkaError(response.errorCode, `ApiVersions to ${this.address} failed`);
      this.brokerVersions = new Map(response.apiKeys.map((k) => [k.apiKey, { minVersion: k.minVersion, maxVersion: k.maxVersion }]));
      return;
    }
    throw new UnsupportedVersionError(`broker ${this.address} rejected every ApiVersions version`);
  }
}
