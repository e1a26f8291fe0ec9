/**
 * WebSocket text frames (RFC 6455 §5.2) built once and written as they are to many sockets: the
 * event stream's fan-out encodes a message once, not once per client. The ws library has no public
 * way to send a pre-built frame, so the hub writes these to the client's socket itself; that is
 * safe because the server sends unmasked, uncompressed frames (permessage-deflate is off) and ws's
 * own writes are whole frames made synchronously.
 */

/** One unmasked, final text frame holding `text`. */
export function textFrame(text: string): Buffer {
  const n = Buffer.byteLength(text, 'utf8');
  const head = n < 126 ? 2 : n < 65_536 ? 4 : 10;
  const frame = Buffer.allocUnsafe(head + n);
  frame[0] = 0x81; // FIN, opcode 1 (text)
  if (n < 126) frame[1] = n;
  else if (n < 65_536) {
    frame[1] = 126;
    frame.writeUInt16BE(n, 2);
  } else {
    frame[1] = 127;
    frame.writeUInt32BE(Math.floor(n / 2 ** 32), 2);
    frame.writeUInt32BE(n >>> 0, 6);
  }
  frame.write(text, head, 'utf8');
  return frame;
}

/** The frames of `texts`, one after another, in one buffer. */
export function textFrames(texts: readonly string[]): Buffer {
  const frames = texts.map(textFrame);
  return frames.length === 1 ? frames[0]! : Buffer.concat(frames);
}
