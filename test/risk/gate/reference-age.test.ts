import { describe, expect, it } from 'vitest';
import { instrumentId } from '../../../src/model/identifiers.ts';
import { Portfolio } from '../../../src/portfolio/portfolio.ts';
import { BTC, ETH, expectAllowed, expectDenied, gateSetup, limit, marketBuy, type GateHarness } from './fixtures.ts';

const HOUR = 3_600_000;
/** Max age of a reference 5,000 ms (fixtures). ETH limits like BTC's, so both instruments trade. */
const lim = { max_order_quantity: '5', max_order_notional: '150000', max_position_quantity: '10', max_position_notional: '300000' };

function quote(h: GateHarness, instrument: string, q: { last?: string; bid?: string; ask?: string }): void {
  const inst = h.engine.instrument(instrument);
  h.engine.updateMarket(instrument, {
    ...(q.last !== undefined ? { last: inst.price(q.last) } : {}),
    ...(q.bid !== undefined ? { bid: inst.price(q.bid) } : {}),
    ...(q.ask !== undefined ? { ask: inst.price(q.ask) } : {}),
  });
}

describe('each reference price is judged by its own age (issue 11 item 11)', () => {
  it('the issue: max notional 150 USDT, last 100.00 an hour old, fresh bid/ask 199.95/200.05: a market buy of 1 is REFERENCE_PRICE_STALE', async () => {
    const h = await gateSetup({ instruments: { [BTC]: { ...lim, max_order_notional: '150' } } });
    h.ref(BTC, '100.00');
    h.clock.advance(HOUR);
    quote(h, BTC, { bid: '199.95', ask: '200.05' });
    h.market.last = '200.05';
    const d = await expectDenied(h, marketBuy('M-1', '1'), 'REFERENCE_PRICE_STALE');
    expect(d.context).toMatchObject({ limit: 5000, actual: HOUR, source: 'LAST' });
    expect(d.reason).toContain('(last trade) is 3600000 ms old');
    expect(h.engine.portfolio.allPositions()).toEqual([]);
  });

  it('a stale last is stale for a limit order too (the collar reference), and a new last makes it fresh again', async () => {
    const h = await gateSetup();
    h.clock.advance(10_000);
    quote(h, BTC, { bid: '23999.95', ask: '24000.05' });
    await expectDenied(h, limit('L-1', 'BUY', '0.1', '24000.00'), 'REFERENCE_PRICE_STALE');
    h.ref(BTC, '24000');
    await expectAllowed(h, limit('L-2', 'BUY', '0.1', '24000.00'));
  });

  it('a fresh last with a stale bid/ask passes: the last is the reference and it is 0 ms old', async () => {
    const h = await gateSetup();
    quote(h, BTC, { bid: '23999.95', ask: '24000.05' });
    h.clock.advance(HOUR);
    h.ref(BTC, '24000');
    await expectAllowed(h, marketBuy('M-1', '0.1'));
  });

  it('no last: the mid is as old as its older side; a stale bid (ask fresh) or a stale ask (bid fresh) is REFERENCE_PRICE_STALE', async () => {
    const h = await gateSetup({ instruments: { [BTC]: lim, [ETH]: lim } });
    quote(h, ETH, { bid: '1499.99', ask: '1500.01' });
    await expectAllowed(h, limit('E-1', 'BUY', '0.1', '1500.00', { instrumentId: ETH }));

    h.clock.advance(6_000);
    quote(h, ETH, { ask: '1500.01' }); // bid 6,000 ms old
    const d = await expectDenied(h, limit('E-2', 'BUY', '0.1', '1500.00', { instrumentId: ETH }), 'REFERENCE_PRICE_STALE');
    expect(d.context).toMatchObject({ actual: 6_000, source: 'MID' });

    quote(h, ETH, { bid: '1499.99' });
    await expectAllowed(h, limit('E-3', 'BUY', '0.1', '1500.00', { instrumentId: ETH }));

    h.clock.advance(6_000);
    quote(h, ETH, { bid: '1499.99' }); // ask 6,000 ms old
    await expectDenied(h, marketBuy('E-4', '0.1', { instrumentId: ETH }), 'REFERENCE_PRICE_STALE');
  });

  it('a last marked without a time stays undated when a dated bid/ask arrives: REFERENCE_PRICE_STALE (undated)', async () => {
    const h = await gateSetup();
    h.engine.portfolio.mark(instrumentId(BTC), { last: h.engine.instrument(BTC).price('24000') });
    quote(h, BTC, { bid: '23999.95', ask: '24000.05' });
    const d = await expectDenied(h, marketBuy('M-1', '0.1'), 'REFERENCE_PRICE_STALE');
    expect(d.context.actual).toBe('undated');
  });
});

describe('Portfolio.mark merges updates field by field, each price with its own time', () => {
  it('last at 1,000, bid/ask at 2,000, a new ask at 3,000: lastTs 1,000, bidTs 2,000, askTs 3,000, ts 3,000', async () => {
    const h = await gateSetup();
    const inst = h.engine.instrument(BTC);
    const p = new Portfolio();
    const id = instrumentId(BTC);
    p.mark(id, { last: inst.price('100'), ts: 1_000 });
    p.mark(id, { bid: inst.price('99.95'), ask: inst.price('100.05'), ts: 2_000 });
    p.mark(id, { ask: inst.price('100.10'), ts: 3_000 });
    const q = p.quote(id);
    expect([q?.last?.toString(), q?.bid?.toString(), q?.ask?.toString()]).toEqual(['100.00', '99.95', '100.10']);
    expect([q?.lastTs, q?.bidTs, q?.askTs, q?.ts]).toEqual([1_000, 2_000, 3_000, 3_000]);
  });
});
