/**
 * WebSocket text frames (RFC 6455 §5.2) built once and written as they are to many sockets: the
 * event stream's fan-out encodes a message once, not once per client. The ws library has no public
 * way to send a pre-built frame, so the hub writes these to the client's socket itself; that is
 * safe because the server sends unmasked, uncompressed frames (permessage-deflate is off) and ws's
 * own writes are whole frames made synchronously.
 */

/** Bytes of the header of a frame with `n` payload bytes (7-bit, 16-bit or 64-bit length). */
function headerBytes(n: number): number {
  return n < 126 ? 2 : n < 65_536 ? 4 : 10;
}

/** Writes the header of an unmasked, final text frame of `n` payload bytes at `at`; returns where its payload goes. */
function writeHeader(out: Buffer, at: number, n: number): number {
  out[at] = 0x81; // FIN, opcode 1 (text)
  if (n < 126) {
    out[at + 1] = n;
    return at + 2;
  }
  if (n < 65_536) {
    out[at + 1] = 126;
    out.writeUInt16BE(n, at + 2);
    return at + 4;
  }
  out[at + 1] = 127;
  out.writeUInt32BE(Math.floor(n / 2 ** 32), at + 2);
  out.writeUInt32BE(n >>> 0, at + 6);
  return at + 10;
}

/** One unmasked, final text frame holding `text`. */
export function textFrame(text: string): Buffer {
  const n = Buffer.byteLength(text, 'utf8');
  const frame = Buffer.allocUnsafe(headerBytes(n) + n);
  frame.write(text, writeHeader(frame, 0, n), 'utf8');
  return frame;
}

const NEWLINE = 0x0a;

/**
 * One frame per line of `lines` (UTF-8 text, each line ended by a newline; JSON text has none of
 * its own, and no byte of a multi-byte UTF-8 character is one), one after another in one buffer.
 */
export function lineFrames(lines: Uint8Array): Buffer {
  let total = 0;
  for (let start = 0, end = lines.indexOf(NEWLINE); end >= 0; start = end + 1, end = lines.indexOf(NEWLINE, start)) {
    total += headerBytes(end - start) + end - start;
  }
  const out = Buffer.allocUnsafe(total);
  let at = 0;
  for (let start = 0, end = lines.indexOf(NEWLINE); end >= 0; start = end + 1, end = lines.indexOf(NEWLINE, start)) {
    at = writeHeader(out, at, end - start);
    out.set(lines.subarray(start, end), at);
    at += end - start;
  }
  return out;
}
