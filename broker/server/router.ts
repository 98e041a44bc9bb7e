// Turns request frames into handler calls and handler results into response frames.
//
// As in Apache Kafka: a frame whose header cannot be parsed, an unknown API key, or a version
// outside the handler's range closes the connection, except ApiVersions, which answers an
// unsupported version with UNSUPPORTED_VERSION and a v0 body giving its own version range, so
// that clients can negotiate down.
import { ErrorCode } from "../protocol/generated/errors.ts";
import { apiDefinition, decodeRequestHeader, requestHeaderVersion, responseHeaderVersion, type ApiMessages, type RequestHeader } from "../protocol/generated/index.ts";
import { ProtocolDecodeError, Reader } from "../protocol/primitives/reader.ts";
import { Writer } from "../protocol/primitives/writer.ts";
import type { BrokerMetrics } from "../metrics.ts";
import type { ConnectionContext, DispatchResult } from "./connection.ts";

export type ApiKeyNumber = keyof ApiMessages;

export interface RequestContext {
  readonly header: RequestHeader;
  readonly version: number;
  readonly conn: ConnectionContext;
}

/** One API's handler; each lives in broker/handlers/NN-name.ts. */
export interface ApiHandler<K extends ApiKeyNumber = ApiKeyNumber> {
  readonly apiKey: K;
  readonly minVersion: number;
  readonly maxVersion: number;
  /** Returns the response, or undefined when none is sent (Produce with acks=0). */
  handle(
    request: ApiMessages[K]["request"],
    ctx: RequestContext,
  ): ApiMessages[K]["response"] | undefined | Promise<ApiMessages[K]["response"] | undefined>;
}

/** Builds the handler table; ApiVersions reads it, so what we advertise is what we serve. */
export class Router {
  private readonly handlers = new Map<number, ApiHandler>();
  private readonly metrics: BrokerMetrics | undefined;

  constructor(metrics?: BrokerMetrics) {
    this.metrics = metrics;
  }

  register<K extends ApiKeyNumber>(handler: ApiHandler<K>): void {
    this.handlers.set(handler.apiKey, handler as unknown as ApiHandler);
  }

  supportedApis(): Array<{ apiKey: number; minVersion: number; maxVersion: number }> {
    return [...this.handlers.values()]
      .map((h) => ({ apiKey: h.apiKey, minVersion: h.minVersion, maxVersion: h.maxVersion }))
      .sort((a, b) => a.apiKey - b.apiKey);
  }

  dispatch(frame: Buffer, conn: ConnectionContext): DispatchResult | Promise<DispatchResult> {
    if (frame.length < 8) {
      conn.close(`request of ${frame.length} bytes is too short for a request header`);
      return undefined;
    }
    const apiKey = frame.readInt16BE(0);
    const version = frame.readInt16BE(2);
    const correlationId = frame.readInt32BE(4);
    const handler = this.handlers.get(apiKey);
    const def = apiDefinition(apiKey);
    if (!handler || !def) {
      conn.close(`unknown or unsupported API key ${apiKey}`);
      return undefined;
    }
    if (version < handler.minVersion || version > handler.maxVersion) {
      if (apiKey === 18) {
        // Kafka still parses the header (v2 for a version past the flexible threshold) and
        // closes the connection if it cannot; the body is not read.
        try {
          decodeRequestHeader(new Reader(frame), requestHeaderVersion(apiKey, version));
        } catch (err) {
          if (!(err instanceof ProtocolDecodeError)) throw err;
          conn.close(`malformed ApiVersions v${version} request header: ${err.message}`);
          return undefined;
        }
        return this.unsupportedApiVersions(correlationId, handler);
      }
      conn.close(`${def.name} version ${version} is not supported (supported: ${handler.minVersion}-${handler.maxVersion})`);
      return undefined;
    }
    let header: RequestHeader;
    let request: unknown;
    try {
      const reader = new Reader(frame);
      header = decodeRequestHeader(reader, requestHeaderVersion(apiKey, version));
      request = def.decodeRequest(reader, version);
    } catch (err) {
      if (!(err instanceof ProtocolDecodeError)) throw err;
      conn.close(`malformed ${def.name} v${version} request: ${err.message}`);
      return undefined;
    }
    this.metrics?.requests.inc({ api: def.name, version: String(version) });
    const started = process.hrtime.bigint();
    const ctx: RequestContext = { header, version, conn };
    const respond = (response: unknown): DispatchResult => {
      if (this.metrics) this.metrics.requestSeconds.observe({ api: def.name }, Number(process.hrtime.bigint() - started) / 1e9);
      if (response === undefined) return undefined;
      const w = new Writer(256);
      const size = w.reserveInt32();
      w.int32(correlationId);
      if (responseHeaderVersion(apiKey, version) >= 1) w.taggedFields(undefined);
      def.encodeResponse(w, version, response);
      w.patchSizeSince(size);
      return w.toChunks();
    };
    const result = handler.handle(request as never, ctx);
    return result instanceof Promise ? result.then(respond) : respond(result);
  }

  /**
   * ApiVersions v0 body with UNSUPPORTED_VERSION, readable by a client of any version. As in
   * Kafka (ApiVersionsRequest.getErrorResponse), it lists only ApiVersions' own range: all
   * the client needs to retry with a version we speak.
   */
  private unsupportedApiVersions(correlationId: number, handler: ApiHandler): DispatchResult {
    const apis = [{ apiKey: handler.apiKey, minVersion: handler.minVersion, maxVersion: handler.maxVersion }];
    const w = new Writer(16 + apis.length * 6);
    const size = w.reserveInt32();
    w.int32(correlationId);
    w.int16(ErrorCode.UNSUPPORTED_VERSION);
    w.int32(apis.length);
    for (const api of apis) {
      w.int16(api.apiKey);
      w.int16(api.minVersion);
      w.int16(api.maxVersion);
    }
    w.patchSizeSince(size);
    return w.toChunks();
  }
}
