// One client connection: size-prefixed framing, bounded frame size, responses written in the
// order the requests arrived, and backpressure both ways.
//
// Requests are handed to the dispatcher in arrival order and may complete out of order (a
// Fetch long-polls while a Heartbeat behind it is answered at once), but responses go out in
// request order, because the Java client requires the next response to match its oldest
// in-flight request. Handlers must make their state changes synchronously when called (before
// their first await), so that two Produce requests on one connection append in arrival order.
import type { Socket } from "node:net";
import type { Logger } from "../../lib/logger.ts";

/** The encoded response as chunks (size prefix included), or undefined for no response (acks=0). */
export type DispatchResult = Buffer[] | undefined;

export interface ConnectionContext {
  readonly id: number;
  readonly remoteAddress: string;
  readonly log: Logger;
  /** Closes the connection: Kafka's answer to requests it cannot parse. */
  close(reason: string): void;
  /**
   * Calls `listener` once when the connection closes (at once if it already has), so that a
   * request waiting on the broker (a Fetch long poll) can stop: nobody will read its answer,
   * and its timer must not keep a stopping broker alive. Returns an unsubscriber.
   */
  onClose(listener: () => void): () => void;
}

export type Dispatcher = (frame: Buffer, conn: ConnectionContext) => DispatchResult | Promise<DispatchResult>;

export interface ConnectionOptions {
  /** socket.request.max.bytes: larger frames close the connection. */
  maxRequestBytes: number;
  /** Requests read but not yet answered before we stop reading from the socket. */
  maxInFlight: number;
}

interface Pending {
  done: boolean;
  chunks: DispatchResult;
}

export class Connection implements ConnectionContext {
  readonly remoteAddress: string;
  private readonly buffered: Buffer[] = [];
  private bufferedBytes = 0;
  private readonly pending: Pending[] = [];
  private closed = false;
  private readonly onClosed: () => void;
  private readonly closeListeners = new Set<() => void>();

  readonly id: number;
  readonly log: Logger;
  private readonly socket: Socket;
  private readonly dispatch: Dispatcher;
  private readonly options: ConnectionOptions;

  constructor(id: number, socket: Socket, dispatch: Dispatcher, options: ConnectionOptions, log: Logger, onClosed: () => void) {
    this.id = id;
    this.socket = socket;
    this.dispatch = dispatch;
    this.options = options;
    this.remoteAddress = `${socket.remoteAddress}:${socket.remotePort}`;
    this.log = log.child({ connection: id, client: this.remoteAddress });
    this.onClosed = onClosed;
    socket.setNoDelay(true);
    socket.on("data", (chunk: Buffer) => this.onData(chunk));
    socket.on("drain", () => this.updateReading());
    socket.on("error", (err) => this.log.debug({ err }, "socket error"));
    socket.on("close", () => {
      this.closed = true;
      this.onClosed();
      this.notifyClosed();
    });
  }

  close(reason: string): void {
    if (this.closed) return;
    this.closed = true;
    this.log.info({ reason }, "closing connection");
    this.socket.destroy();
    this.notifyClosed();
  }

  onClose(listener: () => void): () => void {
    if (this.closed) {
      listener();
      return () => {};
    }
    this.closeListeners.add(listener);
    return () => this.closeListeners.delete(listener);
  }

  private notifyClosed(): void {
    const listeners = [...this.closeListeners];
    this.closeListeners.clear();
    for (const listener of listeners) listener();
  }

  private onData(chunk: Buffer): void {
    this.buffered.push(chunk);
    this.bufferedBytes += chunk.length;
    while (!this.closed && this.bufferedBytes >= 4) {
      const size = this.peekSize();
      if (size < 0 || size > this.options.maxRequestBytes) {
        this.close(`request size ${size} is outside 0..${this.options.maxRequestBytes} (socket.request.max.bytes)`);
        return;
      }
      if (this.bufferedBytes < 4 + size) break;
      this.take(4);
      this.handleFrame(this.take(size));
    }
    this.updateReading();
  }

  private peekSize(): number {
    const first = this.buffered[0] as Buffer;
    if (first.length >= 4) return first.readInt32BE(0);
    return this.copyFront(4).readInt32BE(0);
  }

  /** The first n buffered bytes as one Buffer, zero-copy when they sit in one chunk. */
  private take(n: number): Buffer {
    if (n === 0) return Buffer.alloc(0);
    const first = this.buffered[0] as Buffer;
    let out: Buffer;
    if (first.length >= n) {
      out = first.subarray(0, n);
      if (first.length === n) this.buffered.shift();
      else this.buffered[0] = first.subarray(n);
    } else {
      out = this.copyFront(n);
      let left = n;
      while (left > 0) {
        const head = this.buffered[0] as Buffer;
        if (head.length <= left) {
          left -= head.length;
          this.buffered.shift();
        } else {
          this.buffered[0] = head.subarray(left);
          left = 0;
        }
      }
    }
    this.bufferedBytes -= n;
    return out;
  }

  private copyFront(n: number): Buffer {
    const out = Buffer.allocUnsafe(n);
    let at = 0;
    for (const chunk of this.buffered) {
      const part = chunk.subarray(0, n - at);
      part.copy(out, at);
      at += part.length;
      if (at === n) break;
    }
    return out;
  }

  private handleFrame(frame: Buffer): void {
    const slot: Pending = { done: false, chunks: undefined };
    this.pending.push(slot);
    const finish = (chunks: DispatchResult): void => {
      slot.done = true;
      slot.chunks = chunks;
      this.flush();
    };
    try {
      const result = this.dispatch(frame, this);
      if (result instanceof Promise) {
        result.then(finish, (err: unknown) => {
          this.log.error({ err }, "request handler failed");
          this.close("internal error while handling a request");
        });
      } else finish(result);
    } catch (err) {
      this.log.error({ err }, "request handler failed");
      this.close("internal error while handling a request");
    }
  }

  private flush(): void {
    while (!this.closed && this.pending.length > 0 && (this.pending[0] as Pending).done) {
      const { chunks } = this.pending.shift() as Pending;
      if (!chunks) continue;
      if (chunks.length > 1) this.socket.cork();
      for (const chunk of chunks) this.socket.write(chunk);
      if (chunks.length > 1) this.socket.uncork();
    }
    this.updateReading();
  }

  /** Stops reading while the client is not reading our responses or has too much in flight. */
  private updateReading(): void {
    if (this.closed) return;
    const shouldPause = this.socket.writableNeedDrain || this.pending.length >= this.options.maxInFlight;
    if (shouldPause && !this.socket.isPaused()) this.socket.pause();
    else if (!shouldPause && this.socket.isPaused()) this.socket.resume();
  }
}
