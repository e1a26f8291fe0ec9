import { describe, expect, it } from 'vitest';
import { parseNodeConfig } from '../../src/node/config/index.ts';
import { TradingNode } from '../../src/node/trading-node.ts';
import { tempDir } from './support.ts';
import { barsFile, smallConfig, yaml } from './small-node.ts';

describe('accounts: starting balances are in the currency the instruments define', () => {
  it('USD widened to 6 decimals by an equity: a { USD: 100000 } balance is 100000.000000 of that USD, so equity counts it', async () => {
    const dir = tempDir();
    const file = barsFile(dir, 5);
    const c = smallConfig(dir, file, {
      accounts: [{ id: 'EQ-1', type: 'CASH', venue: 'SIM', balances: { USD: '100000' } }],
      instruments: [{ id: 'NVDA.SIM', kind: 'EQUITY', quote: { code: 'USD', precision: 6, kind: 'FIAT' }, tick_size: '0.000001', lot_size: '1' }],
      data: { speed: 'max', replay: [{ file, instrument: 'NVDA.SIM' }] },
    });
    const { config } = parseNodeConfig(yaml(c), { env: {}, baseDir: dir });
    const node = await TradingNode.start(config);
    const usd6 = node.engine.instrument('NVDA.SIM').settlement;
    expect(usd6.precision).toBe(6);
    expect(node.engine.portfolio.equity('EQ-1' as never, usd6).toString()).toBe('100000.000000 USD');
    await node.stop();
  });
});
