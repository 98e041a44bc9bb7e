// A bare Kafka-protocol socket for tests that must send what no client library would: raw
// bytes, bad sizes, unknown APIs. Well-formed requests are encoded with the broker's own
// generated codecs; responses come back as frames (size prefix stripped).
import { connect, type Socket } from "node:net";
import { apiDefinition, encodeRequestHeader, requestHeaderVersion, responseHeaderVersion, type ApiMessages } from "../../broker/protocol/generated/index.ts";
import { Reader } from "../../broker/protocol/primitives/reader.ts";
import { Writer } from "../../broker/protocol/primitives/writer.ts";

type ApiKeyNumber = keyof ApiMessages;

/** One request frame, size prefix included, encoded with the generated codecs. */
export function encodeRequestFrame<K extends ApiKeyNumber>(apiKey: K, version: number, correlationId: number, request: ApiMessages[K]["request"], clientId: string | null = "raw-test"): Buffer {
  const def = apiDefinition(apiKey);
  if (!def) throw new Error(`no API ${apiKey}`);
  const w = new Writer(256);
  const size = w.reserveInt32();
  encodeRequestHeader(w, requestHeaderVersion(apiKey, version), { requestApiKey: apiKey, requestApiVersion: version, correlationId, clientId });
  def.encodeRequest(w, version, request);
  w.patchSizeSince(size);
  return w.toBuffer();
}

/** Decodes a response frame (size prefix already removed) of the given API and version. */
export function decodeResponseFrame<K extends ApiKeyNumber>(apiKey: K, version: number, frame: Buffer): { correlationId: number; body: ApiMessages[K]["response"] } {
  const def = apiDefinition(apiKey);
  if (!def) throw new Error(`no API ${apiKey}`);
  const r = new Reader(frame);
  const correlationId = r.int32();
  if (responseHeaderVersion(apiKey, version) >= 1) r.unknownTaggedFields();
  return { correlationId, body: def.decodeResponse(r, version) as ApiMessages[K]["response"] };
}

export class RawKafkaSocket {
  readonly socket: Socket;
  private readonly chunks: Buffer[] = [];
  private bufferedBytes = 0;
  private readonly frames: Buffer[] = [];
  private frameWaiter: (() => void) | undefined;
  private _closed = false;
  private nextCorrelationId = 1;
  /** Resolves when the socket has closed (either side). */
  readonly closed: Promise<void>;

  private constructor(socket: Socket) {
    this.socket = socket;
    socket.on("data", (chunk: Buffer) => this.onData(chunk));
    socket.on("error", () => {});
    this.closed = new Promise((resolve) =>
      socket.once("close", () => {
        this._closed = true;
        this.frameWaiter?.();
        resolve();
      }),
    );
  }

  static connect(port: number, host = "127.0.0.1"): Promise<RawKafkaSocket> {
    return new Promise((resolve, reject) => {
      const socket = connect({ port, host });
      socket.once("connect", () => {
        socket.off("error", reject);
        socket.setNoDelay(true);
        resolve(new RawKafkaSocket(socket));
      });
      socket.once("error", reject);
    });
  }

  get isClosed(): boolean {
    return this._closed;
  }

  write(bytes: Buffer): void {
    if (!this._closed) this.socket.write(bytes);
  }

  /** The next response frame, without its size prefix. Rejects if the socket closes first or on timeout. */
  async nextFrame(timeoutMs = 5000): Promise<Buffer> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const frame = this.frames.shift();
      if (frame) return frame;
      if (this._closed) throw new Error("connection closed by the broker before a response arrived");
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`no response within ${timeoutMs} ms`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.frameWaiter = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.frameWaiter = undefined;
    }
  }

  /** True if the broker closes the connection within timeoutMs. */
  async closedWithin(timeoutMs: number): Promise<boolean> {
    let timer: NodeJS.Timeout | undefined;
    const closed = await Promise.race([
      this.closed.then(() => true),
      new Promise<boolean>((resolve) => {
        timer = setTimeout(() => resolve(false), timeoutMs);
      }),
    ]);
    clearTimeout(timer);
    return closed;
  }

  /** Sends one well-formed request and decodes its response. */
  async request<K extends ApiKeyNumber>(apiKey: K, version: number, request: ApiMessages[K]["request"], timeoutMs = 5000): Promise<ApiMessages[K]["response"]> {
    const correlationId = this.nextCorrelationId++;
    this.write(encodeRequestFrame(apiKey, version, correlationId, request));
    const response = decodeResponseFrame(apiKey, version, await this.nextFrame(timeoutMs));
    if (response.correlationId !== correlationId) throw new Error(`response correlation id ${response.correlationId}, expected ${correlationId}`);
    return response.body;
  }

  destroy(): void {
    this.socket.destroy();
  }

  private onData(chunk: Buffer): void {
    this.chunks.push(chunk);
    this.bufferedBytes += chunk.length;
    for (;;) {
      if (this.bufferedBytes < 4) break;
      const all = this.chunks.length === 1 ? (this.chunks[0] as Buffer) : Buffer.concat(this.chunks);
      this.chunks.length = 0;
      this.chunks.push(all);
      const size = all.readInt32BE(0);
      if (all.length < 4 + size) break;
      this.frames.push(Buffer.from(all.subarray(4, 4 + size)));
      const rest = all.subarray(4 + size);
      this.chunks.length = 0;
      if (rest.length > 0) this.chunks.push(rest);
      this.bufferedBytes = rest.length;
    }
    this.frameWaiter?.();
  }
}
