import { describe, expect, it } from 'vitest';
import { Currencies } from '../../../src/model/currency.ts';
import { Money } from '../../../src/model/money.ts';
import { figureKey } from '../../../src/risk/breakers/breaker.ts';
import { fingerprintKey } from '../../../src/risk/gate/recent.ts';
import { expectAllowed, expectDenied, gateSetup, limit } from './fixtures.ts';

describe('composite keys cannot collide whatever the ids hold (issue 11 item 17)', () => {
  it('duplicate window 10 s: account "P|q" + strategy "s" then account "P" + strategy "q|s", same order: both pass', async () => {
    const h = await gateSetup({ duplicate_window_ms: 10_000 });
    for (const id of ['P|q', 'P']) await h.engine.openAccount({ id, type: 'CASH', balances: [Money.of('100000', Currencies.USDT)] });
    await expectAllowed(h, limit('D-1', 'BUY', '0.1', '24000.00', { accountId: 'P|q', strategyId: 's' }));
    await expectAllowed(h, limit('D-2', 'BUY', '0.1', '24000.00', { accountId: 'P', strategyId: 'q|s' }));
    // The same account and strategy again is still a duplicate.
    await expectDenied(h, limit('D-3', 'BUY', '0.1', '24000.00', { accountId: 'P', strategyId: 'q|s' }), 'DUPLICATE_ORDER');
  });

  it('fingerprints: ids moved across the separator give different keys, identical orders the same key', () => {
    const key = (a: string, s: string, i: string) => fingerprintKey(a, s, i, 'BUY', 'LIMIT', 100n, 2_400_000n, undefined);
    expect(key('P|q', 's', 'X.V')).not.toBe(key('P', 'q|s', 'X.V'));
    expect(key('P', 's|X.V', 'Y.V')).not.toBe(key('P', 's', 'X.V|Y.V'));
    expect(key('1:P', 's', 'X.V')).not.toBe(key('P', 's', 'X.V'));
    expect(key('P', 's', 'X.V')).toBe(key('P', 's', 'X.V'));
  });

  it('breaker figures: scope "ACCOUNT:A|B" with key "C.X" and scope "ACCOUNT:A" with key "B|C.X" are two figures', () => {
    expect(figureKey('ACCOUNT:A|B', 'C.X')).not.toBe(figureKey('ACCOUNT:A', 'B|C.X'));
    expect(figureKey('STRATEGY:s', 'USDT')).toBe(figureKey('STRATEGY:s', 'USDT'));
  });
});
