/**
 * A backtest stays out of the firm whatever its config says: a config with `cluster:` (a firm
 * budget, the firm kill switch, event publishing) run as a backtest neither connects to NATS nor
 * reserves firm budget. Its orders are simulated and its clock is the data's: counted in the live
 * firm's budget they would take room from live nodes. The NATS address here has no server, so a
 * node that tried to join would fail to start or show a cluster link.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseNodeConfig } from '../../../src/node/config/index.ts';
import { TradingNode } from '../../../src/node/trading-node.ts';
import { operatorOrigin } from '../../../src/engine/origin.ts';
import { barsFile, smallConfig, yaml } from '../../node/small-node.ts';

const NOWHERE = 'nats://127.0.0.1:1';

describe('a backtest with a cluster config', () => {
  it('runs alone: no firm budget, no kill-switch link, no event publisher, and its orders are not screened by the firm', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'warden-bt-alone-'));
    const cluster = { nats: NOWHERE, node_id: 'bt1', firm: 'firm_bt', publish: true, kill_switch: true, budget: { bucket: 'budget_bt', max_gross_exposure: '1' } };
    const text = yaml(smallConfig(dir, barsFile(dir, 20), { node: { id: 'bt1', mode: 'backtest', journal: { memory: true } }, cluster }));
    const node = await TradingNode.start(parseNodeConfig(text, { env: {}, baseDir: dir }).config);
    try {
      await node.run({ keepOpen: true });
      expect(node.cluster).toBeUndefined();
      expect(node.firmEvents).toBeUndefined();
      const origin = operatorOrigin(node.engine.authority.issue('tester', ['TRADE']));
      // 0.01 × 19500 = 195: far past the firm's gross limit of 1, had the firm budget screened it.
      const r = await node.route({ clientOrderId: 'bt-1', accountId: 'ACC-1', instrumentId: 'BTCUSDT.SIM', side: 'BUY', type: 'LIMIT', quantity: '0.01', price: '19500' }, origin);
      expect(r.denied).toEqual([]);
      expect(node.engine.order('bt-1')?.isOpen).toBe(true);
    } finally {
      await node.stop();
    }
  });
});
