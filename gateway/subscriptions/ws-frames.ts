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
 * Frames whose payloads are `heads[i] + bodies[i] + tail`, in order, as one Buffer ready to write
 * (graphql-ws `next` messages: a subscription's own start, a shared answer, a common end).
 */
export function encodeFrames(heads: readonly Buffer[], bodies: readonly Buffer[], tail: Buffer): Buffer {
  let size = 0;
  for (let i = 0; i < heads.length; i++) {
    const length = heads[i].length + bodies[i].length + tail.length;
    size += frameHeaderSize(length) + length;
  }
  const target = Buffer.allocUnsafe(size);
  let offset = 0;
  for (let i = 0; i < heads.length; i++) {
    offset = writeFrameHeader(target, offset, heads[i].length + bodies[i].length + tail.length);
    offset += heads[i].copy(target, offset);
    offset += bodies[i].copy(target, offset);
    offset += tail.copy(target, offset);
  }
  return target;
}
