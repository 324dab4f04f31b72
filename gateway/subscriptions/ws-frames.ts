/**
 * WebSocket text frames as a server sends them (RFC 6455 §5.2: final, unmasked), written
 * several to one Buffer so that a connection's frames of a turn leave in one write.
 */

/** Bytes of the header of a text frame carrying `length` bytes. */
export function frameHeaderSize(length: number): number {
  return length < 126 ? 2 : length < 65_536 ? 4 : 10;
}

/** Writes the header of a final text frame of `length` bytes at `offset`; returns the offset after it. */
export function writeFrameHeader(target: Buffer, offset: number, length: number): number {
  target[offset] = 0x81;
  if (length < 126) {
    target[offset + 1] = length;
    return offset + 2;
  }
  if (length < 65_536) {
    target[offset + 1] = 126;
    target.writeUInt16BE(length, offset + 2);
    return offset + 4;
  }
  target[offset + 1] = 127;
  target.writeBigUInt64BE(BigInt(length), offset + 2);
  return offset + 10;
}

/**
 * Frames `from` to `to` (excluded) whose payloads are `heads[i] + bodies[i] + tail`, in order, as
 * one Buffer ready to write (graphql-ws `next` messages: a subscription's own start, a shared
 * answer, a common end).
 */
export function encodeFrames(heads: readonly Buffer[], bodies: readonly Buffer[], tail: Buffer, from = 0, to = heads.length): Buffer {
  let size = 0;
  for (let i = from; i < to; i++) {
    const length = heads[i].length + bodies[i].length + tail.length;
    size += frameHeaderSize(length) + length;
  }
  const target = Buffer.allocUnsafe(size);
  let offset = 0;
  for (let i = from; i < to; i++) {
    const head = heads[i];
    const body = bodies[i];
    offset = writeFrameHeader(target, offset, head.length + body.length + tail.length);
    // TypedArray#set: the cheapest copy for payloads this small.
    target.set(head, offset);
    target.set(body, (offset += head.length));
    target.set(tail, (offset += body.length));
    offset += tail.length;
  }
  return target;
}
