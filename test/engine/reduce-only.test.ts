import { describe, expect, it } from 'vitest';
import { reduceOnlyActions, clipReduceOnlyFill } from '../../src/engine/reduce-only.ts';
import type { ClientOrderId } from '../../src/model/identifiers.ts';
import { Currencies } from '../../src/model/currency.ts';
import { Quantity } from '../../src/model/values.ts';
import { BTC, limit, marketBuy, setup } from './fixtures.ts';

const q = (v: string) => Quantity.of(v, 3);
const id = (s: string) => s as ClientOrderId;

describe('reduce-only decisions (pure)', () => {
  it('long 0.600: a SELL of 1.000 (0.200 filled) shrinks to 0.800; a SELL of 0.500 stays; a BUY of 0.100 is canceled', () => {
    const actions = reduceOnlyActions(600n, [
      { clientOrderId: id('A'), side: 'SELL', quantity: q('1'), filledQty: q('0.2') },
      { clientOrderId: id('B'), side: 'SELL', quantity: q('0.5'), filledQty: q('0') },
      { clientOrderId: id('C'), side: 'BUY', quantity: q('0.1'), filledQty: q('0') },
    ]);
    expect(actions.map((a) => (a.do === 'modify' ? `modify ${a.clientOrderId} ${a.quantity.toString()}` : `cancel ${a.clientOrderId}`))).toEqual(['modify A 0.800', 'cancel C']);
  });

  it('flat: every working reduce-only order is canceled; short 0.300 keeps a BUY of 0.300', () => {
    expect(reduceOnlyActions(0n, [{ clientOrderId: id('A'), side: 'SELL', quantity: q('1'), filledQty: q('0') }])).toEqual([{ do: 'cancel', clientOrderId: 'A' }]);
    expect(reduceOnlyActions(-300n, [{ clientOrderId: id('B'), side: 'BUY', quantity: q('0.3'), filledQty: q('0') }])).toEqual([]);
  });

  it('a reduce-only SELL fill of 1.000 on a long of 0.600 books 0.600 and refuses 0.400; on a flat position it books nothing', () => {
    const c = clipReduceOnlyFill('SELL', 600n, q('1'));
    expect([c.keep.toString(), c.excess.toString()]).toEqual(['0.600', '0.400']);
    expect(clipReduceOnlyFill('SELL', 0n, q('1')).keep.isZero()).toBe(true);
    expect(clipReduceOnlyFill('BUY', 600n, q('1')).keep.isZero()).toBe(true);
  });
});

describe('engine keeps reduce-only orders reduce-only after submit, with a venue that does not enforce it', () => {
  async function long1() {
    const h = await setup({ usdt: '1000000', btc: '0' });
    await h.engine.submitOrder(marketBuy('B-1', '1'));
    await h.engine.submitOrder(limit('R-1', 'SELL', '1', '26000', { reduceOnly: true }));
    const position = () => {
      const p = h.engine.portfolio.allPositions().find((x) => x.instrumentId === BTC);
      return p ? `${p.side} ${p.quantity.toString()}` : 'none';
    };
    return { ...h, position };
  }

  it('long 1 with a resting reduce-only SELL 1; a market sell flattens: the engine cancels the reduce-only order', async () => {
    const h = await long1();
    expect(h.position()).toBe('LONG 1.000');
    await h.engine.submitOrder({ ...marketBuy('S-1', '1'), side: 'SELL' });
    await h.engine.reduceOnly.idle();
    expect(h.position()).toBe('FLAT 0.000');
    expect(h.venue.calls.filter((c) => c.clientOrderId === 'R-1').map((c) => c.kind)).toEqual(['submit', 'cancel']);
    expect(h.engine.order('R-1')?.status).toBe('CANCELED');
  });

  it('a market sell of 0.400 leaves long 0.600: the reduce-only SELL 1 is modified to 0.600', async () => {
    const h = await long1();
    await h.engine.submitOrder({ ...marketBuy('S-1', '0.4'), side: 'SELL' });
    await h.engine.reduceOnly.idle();
    expect(h.position()).toBe('LONG 0.600');
    expect(h.venue.calls.filter((c) => c.clientOrderId === 'R-1').map((c) => c.kind)).toEqual(['submit', 'modify']);
    expect(h.engine.order('R-1')?.quantity.toString()).toBe('0.600');
  });

  it('if the venue fills the reduce-only SELL 1 anyway after the flatten, the fill is refused and alerted: the position stays flat, never short', async () => {
    const h = await long1();
    await h.engine.submitOrder({ ...marketBuy('S-1', '1'), side: 'SELL' });
    // The venue fills it before the engine's cancel is even decided.
    h.venue.fill('R-1', '1', '26000');
    await h.engine.reduceOnly.idle();
    expect(h.position()).toBe('FLAT 0.000');
    expect(h.alerts.map((a) => a.code)).toContain('REDUCE_ONLY_FILL_REFUSED');
    expect(h.engine.portfolio.account('ACC-1' as never).balance(Currencies.BTC).total.toDecimalString()).toBe('0.00000000');
  });

  it('a venue fill of 1 on long 0.600 is booked as 0.600 (clipped, alerted) and the rest of the order is canceled', async () => {
    const h = await long1();
    await h.engine.submitOrder({ ...marketBuy('S-1', '0.4'), side: 'SELL' });
    h.venue.fill('R-1', '1', '26000');
    await h.engine.reduceOnly.idle();
    expect(h.position()).toBe('FLAT 0.000');
    expect(h.alerts.map((a) => a.code)).toContain('REDUCE_ONLY_FILL_CLIPPED');
    expect(h.engine.order('R-1')?.filledQty.toString()).toBe('0.600');
  });
});
