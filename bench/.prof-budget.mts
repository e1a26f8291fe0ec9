import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startNode } from './cluster-budget.ts';
import { operatorOrigin } from '../src/engine/origin.ts';
const which = process.argv[2] ?? 'on';
const dir = mkdtempSync(join(tmpdir(), 'prof-'));
const firm = which === 'on' ? { firm: `prof_${process.pid}`, bucket: `prof_b_${process.pid}` } : undefined;
const node = await startNode(dir, 'p', firm);
const origin = operatorOrigin(node.engine.authority.issue('bench', ['TRADE', 'RISK']));
let c = 0;
const t0 = performance.now();
for (let r = 0; r < 40; r++) {
  for (let i = 0; i < 150; i++) {
    const k = c++;
    const price = (19_950 + (k % 5_000) / 100).toFixed(2);
    const quantity = (0.001 + (Math.floor(k / 5_000) % 50) / 100_000).toFixed(5);
    const res = await node.route({ clientOrderId: `o-${k}`, accountId: 'ACC-1', instrumentId: 'BTCUSDT.SIM', side: 'BUY', type: 'LIMIT', quantity, price }, origin);
    if (res.denied.length) throw new Error(res.denied[0]!.code);
  }
}
console.log(which, ((c * 1000) / (performance.now() - t0)).toFixed(0), 'orders/s');
await node.stop();
