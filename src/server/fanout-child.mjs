// @ts-check
/**
 * The event stream's fan-out process (src/server/fanout.ts starts it). Live WebSocket clients
 * are handed to it as sockets once their catch-up is over; the server then sends each batch of
 * messages here once, and this process frames it and writes it to every client. Writing the same
 * bytes to hundreds of sockets is kernel work (on loopback, the receiver's TCP work too) that
 * would otherwise run on the engine's thread.
 *
 * Plain JavaScript on purpose: it is started with bare `node`, whatever loader runs the server
 * (tsx, vitest, a build), so it cannot need one.
 *
 * From the server: {t:'client', id, maxBufferedBytes, maxPayload} with the socket; {t:'batch',
 * lines}, the messages as UTF-8 lines, each ended by a newline (JSON text has none of its own);
 * {t:'stop'}. To the
 * server: {t:'dropped', id} when a client is cut as a slow consumer (4008), {t:'gone', id} when a
 * client has closed.
 */
import { Sender, WebSocket } from 'ws';

const SLOW_CONSUMER = 4008;
const GOING_AWAY = 1001;
const EMPTY = Buffer.alloc(0);

/** @typedef {{ id: number, ws: WebSocket, socket: import('node:net').Socket, max: number }} Client */
/** @type {Map<number, Client>} */
const clients = new Map();
let stopping = false;

/** @param {Record<string, unknown>} m */
function tell(m) {
  // With a callback, a server already gone is not an error event (which would end this process).
  if (process.connected) process.send?.(m, undefined, {}, () => undefined);
}

/**
 * Takes over an upgraded socket: ws reads the client's frames (close, ping) and answers them; the
 * batches are written to the socket as they are (unmasked text frames, no extension).
 * @param {{ id: number, maxBufferedBytes: number, maxPayload: number }} m
 * @param {import('node:net').Socket | undefined} socket
 */
function adopt(m, socket) {
  if (!socket) {
    tell({ t: 'gone', id: m.id });
    return;
  }
  if (stopping) {
    socket.destroy();
    tell({ t: 'gone', id: m.id });
    return;
  }
  // What WebSocketServer does after an upgrade (ws has no public call for a socket upgraded
  // elsewhere), with its options: pings answered; a close never answered ends the socket after 30 s.
  const ws = new WebSocket(null, undefined, { autoPong: true, closeTimeout: 30_000 });
  /** @type {{ setSocket(s: unknown, head: Buffer, o: Record<string, unknown>): void }} */ (/** @type {unknown} */ (ws)).setSocket(socket, EMPTY, {
    maxPayload: m.maxPayload,
    allowSynchronousEvents: true,
    skipUTF8Validation: false,
  });
  const c = { id: m.id, ws, socket, max: m.maxBufferedBytes };
  clients.set(m.id, c);
  ws.on('error', () => undefined); // a reset socket: 'close' follows
  ws.on('close', () => {
    if (clients.get(m.id) === c) clients.delete(m.id);
    tell({ t: 'gone', id: m.id });
  });
  socket.resume();
}

/**
 * One unmasked final text frame per line of `lines`, in one buffer: built once, written to every client.
 * @param {Uint8Array} lines
 */
function frames(lines) {
  const bytes = Buffer.from(lines.buffer, lines.byteOffset, lines.byteLength);
  /** @type {Buffer[]} */
  const out = [];
  for (let start = 0, end = bytes.indexOf(0x0a); end >= 0; start = end + 1, end = bytes.indexOf(0x0a, start)) {
    for (const part of Sender.frame(bytes.subarray(start, end), { fin: true, opcode: 1, mask: false, readOnly: true, rsv1: false })) out.push(part);
  }
  return Buffer.concat(out);
}

/**
 * @param {Client} c
 * @param {Uint8Array} bytes
 */
function write(c, bytes) {
  if (c.ws.readyState !== WebSocket.OPEN) return;
  if (c.socket.writableLength > c.max) {
    // Cut, never waited for: it resumes from its last seq (one that reads nothing is ended by the close timeout).
    clients.delete(c.id);
    tell({ t: 'dropped', id: c.id });
    c.ws.close(SLOW_CONSUMER, 'slow consumer: resume from your last seq');
    return;
  }
  c.socket.write(bytes);
}

function stop() {
  if (stopping) return;
  stopping = true;
  for (const c of clients.values()) c.ws.close(GOING_AWAY, 'server stopping');
  // Clients that do not answer the close are cut; then the process ends.
  setTimeout(() => {
    for (const c of clients.values()) c.ws.terminate();
    process.exit(0);
  }, 2_000).unref();
  const done = () => (clients.size === 0 ? process.exit(0) : setTimeout(done, 20).unref());
  done();
}

process.on('message', (/** @type {any} */ m, /** @type {any} */ handle) => {
  switch (m?.t) {
    case 'client':
      adopt(m, handle);
      break;
    case 'batch': {
      if (clients.size === 0) break;
      const bytes = frames(m.lines);
      for (const c of clients.values()) write(c, bytes);
      break;
    }
    case 'stop':
      stop();
      break;
    default:
      break;
  }
});
// The server is gone (crashed or stopped without a word): so are its clients.
process.on('disconnect', stop);
