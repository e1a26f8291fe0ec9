/**
 * The stream's pre-built frames are WebSocket text frames as the real `ws` client reads them: each
 * length encoding (7-bit, 16-bit, 64-bit) at its edges, and any text, several frames in one write.
 */
import type { AddressInfo } from 'node:net';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket, { WebSocketServer } from 'ws';
import { lineFrames, textFrame } from '../../src/server/ws-frames.ts';

let server: WebSocketServer;
let port = 0;
/** Texts to write to the next connection, all in one socket write, and how they are framed. */
let toSend: string[] = [];
let framing: 'text' | 'lines' = 'text';

beforeAll(async () => {
  server = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  await new Promise<void>((resolve) => server.once('listening', resolve));
  port = (server.address() as AddressInfo).port;
  server.on('connection', (ws) => {
    const socket = (ws as unknown as { _socket: { write(b: Buffer): boolean } })._socket;
    socket.write(framing === 'text' ? Buffer.concat(toSend.map(textFrame)) : lineFrames(Buffer.from(toSend.map((t) => `${t}\n`).join(''), 'utf8')));
  });
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

/** What a real client reads from one connection that is sent `texts`. */
function received(texts: string[], how: typeof framing = 'text'): Promise<string[]> {
  toSend = texts;
  framing = how;
  return new Promise((resolve, reject) => {
    const got: string[] = [];
    const ws = new WebSocket(`ws://127.0.0.1:${port}`);
    ws.on('message', (d: Buffer, isBinary: boolean) => {
      if (isBinary) reject(new Error('a binary frame'));
      got.push(d.toString('utf8'));
      if (got.length === texts.length) {
        ws.close();
        resolve(got);
      }
    });
    ws.on('error', reject);
  });
}

describe('textFrame', () => {
  it('every length encoding, at its edges', async () => {
    const texts = [0, 1, 125, 126, 127, 65_535, 65_536, 70_000].map((n) => 'x'.repeat(n));
    expect(await received(texts)).toEqual(texts);
  });

  it('any text (multi-byte characters counted in bytes), several frames in one write', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.string({ unit: 'grapheme', maxLength: 300 }), { minLength: 1, maxLength: 5 }), async (texts) => {
        expect(await received(texts)).toEqual(texts);
      }),
      { numRuns: 30 },
    );
  });
});

describe('lineFrames (a batch of newline-ended UTF-8 lines, as the stream keeps it)', () => {
  it('every length encoding, at its edges', async () => {
    const texts = [1, 125, 126, 127, 65_535, 65_536, 70_000].map((n) => 'y'.repeat(n));
    expect(await received(texts, 'lines')).toEqual(texts);
  });

  it('any text without a newline (multi-byte characters counted in bytes), several lines in one buffer', async () => {
    const line = fc.string({ unit: 'grapheme', minLength: 1, maxLength: 300 }).filter((t) => !t.includes('\n'));
    await fc.assert(
      fc.asyncProperty(fc.array(line, { minLength: 1, maxLength: 5 }), async (texts) => {
        expect(await received(texts, 'lines')).toEqual(texts);
      }),
      { numRuns: 30 },
    );
  });

  it('the frames of a batch from a line on are the frames of those lines alone', () => {
    const lines = Buffer.from('{"a":1}\n{"b":"€"}\n{"c":3}\n', 'utf8');
    const from = lines.indexOf(0x0a) + 1;
    expect(lineFrames(lines.subarray(from))).toEqual(Buffer.concat([textFrame('{"b":"€"}'), textFrame('{"c":3}')]));
  });
});
