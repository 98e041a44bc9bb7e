// One TCP connection to one broker: framing, correlation ids, the map of requests waiting
// for answers, per-request deadlines, and the ApiVersions handshake that fixes which
// version of each API this connection speaks. Kafka answers a connection's requests in the
// order they came and serves them one at a time, so several requests may be in flight
// (pipelined) but a long poll holds up whatever was sent after it on the same connection.
import { connect, type Socket } from "node:net";
import { ErrorCode, KafkaError } from "../../broker/protocol/generated/errors.ts";
import { ApiKey, apiDefinition, encodeRequestHeader, requestHeaderVersion, responseHeaderVersion, type ApiMessages } from "../../broker/protocol/generated/index.ts";
import { Reader } from "../../broker/protocol/primitives/reader.ts";
import { Writer } from "../../broker/protocol/primitives/writer.ts";
import type { Logger } from "../logger.ts";
import { ClientClosedError, ConnectionError, RequestTimeoutError, UnsupportedVersionError } from "./errors.ts";
import { FrameReader } from "./frame-reader.ts";
import { chooseVersion, clientVersionRange, type VersionRange } from "./versions.ts";

export type ApiKeyNumber = keyof ApiMessages;
export type RequestOf<K extends ApiKeyNumber> = ApiMessages[K]["request"];
export type ResponseOf<K extends ApiKeyNumber> = ApiMessages[K]["response"];

export interface ConnectionOptions {
  host: string;
  port: number;
  clientId: string;
  /** Covers the TCP connect and the ApiVersions handshake. */
  connectTimeoutMs: number;
  logger: Logger;
  /** Largest response frame accepted (a bigger size prefix means a corrupt stream). */
  maxFrameBytes?: number;
}

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
    socket.on("error", (err) => this.fail(new ConnectionError(this.address, `connection to ${this.address} failed: ${err.message}`, { cause: err })));
    socket.on("close", () => this.fail(new ConnectionError(this.address, `connection to ${this.address} closed by the broker`)));
  }

  /** Opens the connection and negotiates API versions; rejects with ConnectionError. */
  static async open(options: ConnectionOptions): Promise<BrokerConnection> {
    const address = `${options.host}:${options.port}`;
    const deadline = Date.now() + options.connectTimeoutMs;
    const socket = await new Promise<Socket>((resolve, reject) => {
      const s = connect({ host: options.host, port: options.port });
      const timer = setTimeout(() => {
        s.destroy();
        reject(new ConnectionError(address, `cannot connect to broker ${address}: no TCP connection within ${options.connectTimeoutMs} ms`));
      }, options.connectTimeoutMs);
      s.once("connect", () => {
        clearTimeout(timer);
        s.removeAllListeners("error");
        s.setNoDelay(true);
        s.setKeepAlive(true, 30_000);
        resolve(s);
      });
      s.once("error", (err) => {
        clearTimeout(timer);
        s.destroy();
        reject(new ConnectionError(address, `cannot connect to broker ${address}: ${err.message}`, { cause: err }));
      });
    });
    const conn = new BrokerConnection(socket, options);
    try {
      await conn.negotiateVersions(Math.max(1, deadline - Date.now()));
    } catch (err) {
      conn.close();
      if (err instanceof RequestTimeoutError) {
        throw new ConnectionError(address, `broker ${address} accepted the connection but did not answer ApiVersions within ${options.connectTimeoutMs} ms (is it a Kafka listener?)`);
      }
      throw err;
    }
    options.logger.debug({ broker: address }, "kafka connection open");
    return conn;
  }

  get isOpen(): boolean {
    return this.closeError === undefined;
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
    if (!this.isOpen) listener();
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
  }

  private fail(err: Error): void {
    if (this.closeError) return;
    this.closeError = err;
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
