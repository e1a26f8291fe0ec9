import { describe, expect, it } from 'vitest';
import { CONTINGENT_TAGS } from '../../../src/execution/emulation/contingent.ts';
import { correctionWithinHoldings } from '../../../src/execution/emulation/correction-size.ts';
import type { OrderRequest } from '../../../src/model/orders/factory.ts';
import { Portfolio } from '../../../src/portfolio/portfolio.ts';
import { nettingPositionId } from '../../../src/portfolio/position-id.ts';
import { ACC, BTCUSDT, btc, fillOf, usdt } from '../../portfolio/fixtures.ts';

/** ACC-1 (CASH) bought 1 BTC at 30,000.00 for strategy S-1, the 0.001 BTC fee taken in coins: it holds 0.999. */
function boughtOne(): Portfolio {
  const pf = new Portfolio();
  pf.openAccount(ACC, 'CASH', 'NETTING', [usdt('100000')]);
  pf.applyFill(fillOf(BTCUSDT, 'BUY', { qty: '1', px: '30000.00', commission: btc('0.001'), position: nettingPositionId(ACC, BTCUSDT.id, 'S-1') }), BTCUSDT);
  return pf;
}

const correction = (side: 'BUY' | 'SELL', tags: string[] = [CONTINGENT_TAGS.correction]): OrderRequest => ({
  clientOrderId: 'L-2-FIX-1', accountId: ACC, strategyId: 'S-1', instrumentId: BTCUSDT.id, side, type: 'MARKET', quantity: '1', tags,
});

describe('an OCO/OUO correction reversing an unwanted buy sells what the account holds (issue 11.6)', () => {
  it('reversing BUY 1 while holding 0.999 (fees in coins): SELL 0.998, room left for its own 10 bps fee', () => {
    const r = correctionWithinHoldings(correction('SELL'), boughtOne(), BTCUSDT);
    expect(r.reduced).toBe(true);
    expect(String(r.sized?.quantity)).toBe('0.99800');
  });

  it('holding nothing, nothing is sent', () => {
    const pf = boughtOne();
    pf.account(ACC).adjust(btc('-0.999'));
    expect(correctionWithinHoldings(correction('SELL'), pf, BTCUSDT)).toEqual({ sized: undefined, reduced: true });
  });

  it('a correction that buys, and a sell that is not a correction, go as they are', () => {
    const pf = boughtOne();
    const buy = correction('BUY');
    const plain = correction('SELL', []);
    expect(correctionWithinHoldings(buy, pf, BTCUSDT)).toEqual({ sized: buy, reduced: false });
    expect(correctionWithinHoldings(plain, pf, BTCUSDT)).toEqual({ sized: plain, reduced: false });
  });
});
