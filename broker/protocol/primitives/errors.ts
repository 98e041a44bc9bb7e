// Typed failures of the wire codecs. A decode error means the peer sent bytes that do not
// parse as the message it claimed (the connection answers with INVALID_REQUEST or closes);
// an encode error means our own code built a message the chosen version cannot carry.

export class ProtocolDecodeError extends Error {
  override name = "ProtocolDecodeError";
  /** Byte offset in the input at which decoding failed. */
  readonly offset: number;

  constructor(message: string, offset: number) {
    super(`${message} (at byte ${offset})`);
    this.offset = offset;
  }
}

export class ProtocolEncodeError extends Error {
  override name = "ProtocolEncodeError";
}
