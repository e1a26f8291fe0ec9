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

const NEWLINE = 0x0a;

/**
 * One frame per line of `lines` (UTF-8 text, each line ended by a newline; JSON text has none of
 * its own, and no byte of a multi-byte UTF-8 character is one), one after another in one buffer.
 */
export function lineFrames(lines: Uint8Array): Buffer {
  let total = 0;
  for (let start = 0, end = lines.indexOf(NEWLINE); end >= 0; start = end + 1, end = lines.indexOf(NEWLINE, start)) {
    const n = end - start;
    total += (n < 126 ? 2 : n < 65_536 ? 4 : 10) + n;
  }
  const out = Buffer.allocUnsafe(total);
  let at = 0;
  for (let start = 0, end = lines.indexOf(NEWLINE); end >= 0; start = end + 1, end = lines.indexOf(NEWLINE, start)) {
    const n = end - start;
    out[at] = 0x81;
    if (n < 126) {
      out[at + 1] = n;
      at += 2;
    } else if (n < 65_536) {
      out[at + 1] = 126;
      out.writeUInt16BE(n, at + 2);
      at += 4;
    } else {
      out[at + 1] = 127;
      out.writeUInt32BE(Math.floor(n / 2 ** 32), at + 2);
      out.writeUInt32BE(n >>> 0, at + 6);
      at += 10;
    }
    out.set(lines.subarray(start, end), at);
    at += n;
  }
  return out;
}
