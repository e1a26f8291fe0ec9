// Load for `npm run bench -- server`, run in its own process (as real clients are): the HTTP order
// clients and the WebSocket watchers never share the node's event loop or its core.
//   node --import tsx bench/server-load.ts http <url> <key> <concurrency> <orders> <firstPrice>
//   node --import tsx bench/server-load.ts watch <url> <key> <clients>
// Prints one JSON line per result to stdout; `watch` prints {ready} once every client has its
// hello, then {delivered} each time it reads a line "count" on stdin, and exits on "stop".
import { Agent, request } from 'node:http';
import { createInterface } from 'node:readline';
import WebSocket from 'ws';

const [mode, url = '', key = '', a, b, c] = process.argv.slice(2);
const out = (o: Record<string, unknown>): boolean => process.stdout.write(`${JSON.stringify(o)}\n`);

async function http(concurrency: number, orders: number, firstPrice: number): Promise<void> {
  const headers = { authorization: `Bearer ${key}`, 'content-type': 'application/json' };
  // node:http with keep-alive, not fetch: fetch's own machinery (streams, a Response per call) costs the client about as much as the API costs the server, and would be counted as the API's.
  const agent = new Agent({ keepAlive: true, maxSockets: concurrency });
  const target = new URL(`${url}/api/orders`);
  const post = (body: string): Promise<{ status: number; text: string }> =>
    new Promise((resolve, reject) => {
      const req = request({ host: target.hostname, port: target.port, path: target.pathname, method: 'POST', agent, headers: { ...headers, 'content-length': Buffer.byteLength(body) } }, (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (d: string) => (text += d));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
        res.on('error', reject);
      });
      req.on('error', reject);
      req.end(body);
    });
  const micros: number[] = [];
  let next = 0;
  const one = async (): Promise<void> => {
    const i = next++;
    // A price of its own per order (whole cents down from firstPrice): never a duplicate order.
    const price = (firstPrice - i / 100).toFixed(2);
    const body = JSON.stringify({ instrumentId: 'BTCUSDT.BINANCEUS', accountId: 'ACC-1', side: 'BUY', type: 'LIMIT', quantity: '0.001', price });
    const t0 = process.hrtime.bigint();
    const res = await post(body);
    micros.push(Number(process.hrtime.bigint() - t0) / 1000);
    if (res.status !== 201) throw new Error(`order ${i}: ${res.status} ${res.text}`);
  };
  const started = process.hrtime.bigint();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < orders) await one();
    }),
  );
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  agent.destroy();
  out({ micros, seconds });
}

const EVENT = Buffer.from('{"type":"event"');
const HELLO = Buffer.from('{"type":"hello"');

async function watch(clients: number): Promise<void> {
  let delivered = 0;
  const sockets: WebSocket[] = [];
  await Promise.all(
    Array.from({ length: clients }, () => new Promise<void>((resolve, reject) => {
      const ws = new WebSocket(`${url.replace('http', 'ws')}/api/stream`, { headers: { authorization: `Bearer ${key}` } });
      sockets.push(ws);
      // Counted by the message's opening bytes, not parsed: the bench measures the server's fan-out, and
      // 200 clients parsing every event in one process would take the machine's other core from it.
      ws.on('message', (data: Buffer) => {
        if (data.subarray(0, EVENT.length).equals(EVENT)) delivered++;
        else if (data.subarray(0, HELLO.length).equals(HELLO)) resolve();
      });
      ws.on('error', reject);
      ws.on('close', (code: number) => reject(new Error(`closed ${code}`)));
    })),
  );
  out({ ready: clients });
  for await (const line of createInterface({ input: process.stdin })) {
    if (line === 'count') out({ delivered });
    if (line === 'stop') break;
  }
  for (const ws of sockets) ws.terminate();
  // stdin (the parent's pipe) would keep the process alive.
  process.exit(0);
}

if (mode === 'http') await http(Number(a), Number(b), Number(c));
else if (mode === 'watch') await watch(Number(a));
else throw new Error(`unknown mode ${String(mode)}`);
