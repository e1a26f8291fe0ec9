import { describe, expect, it } from 'vitest';
import { Price } from '../../src/model/values.ts';
import { algoSetup, BTC, MIN } from './harness.ts';

const parent = { accountId: 'A', strategyId: 's1', instrumentId: BTC, side: 'BUY', quantity: '1' } as const;

describe('TWAP: equal slices at equal intervals, driven by the engine clock', () => {
  it('1.0 BTC over 10 minutes in 5 MARKET slices: 0.2 at minutes 0, 2, 4, 6, 8, each filled at the next bar open; ends FILLED at the exact average', async () => {
    const h = await algoSetup();
    await h.bar('23000.00'); // the clock is now 00:01
    const start = h.engine.now();
    await h.algos.start({ ...parent, kind: 'TWAP', parentId: 'T', startTime: start, endTime: start + 10 * MIN, slices: 5, tags: ['desk-1'] });
    const opens = ['23001.00', '23002.00', '23003.00', '23004.00', '23005.00', '23006.00', '23007.00', '23008.00', '23009.01', '23010.00'];
    for (const o of opens) await h.bar(o);
    // Sent at 1, 3, 5, 7, 9 minutes after T0: 0, 2, 4, 6, 8 minutes into the horizon.
    expect(h.sent()).toEqual(['T-1:0.200@1m', 'T-2:0.200@3m', 'T-3:0.200@5m', 'T-4:0.200@7m', 'T-5:0.200@9m']);
    expect(['T-1', 'T-2', 'T-3', 'T-4', 'T-5'].map(h.px)).toEqual([['0.200@23001.00'], ['0.200@23003.00'], ['0.200@23005.00'], ['0.200@23007.00'], ['0.200@23009.01']]);
    const p = h.algos.progress('T');
    expect(p).toMatchObject({ status: 'DONE', reason: 'FILLED', slicesSent: 5, slicesFilled: 5 });
    expect(p.filled.toString()).toBe('1.000');
    // (23001 + 23003 + 23005 + 23007 + 23009.01) / 5 = 23005.002: exact, though off the tick grid.
    expect(p.averagePrice?.exact()).toBeUndefined();
    expect(p.averagePrice?.eq(Price.of('23005.002', 3))).toBe(true);
    expect(p.averagePrice?.toFixed(2)).toBe('23005.00');
    const child = h.engine.order('T-3')!.spec;
    expect(child).toMatchObject({ type: 'MARKET', side: 'BUY', strategyId: 's1', accountId: 'A', parentOrderId: 'T', tags: ['algo', 'algo:TWAP', 'desk-1'] });
  });

  it('the runner listens to prices from its first algorithm on, not before (a backtest publishes two a bar)', async () => {
    const h = await algoSetup();
    const listening = () => [h.engine.bus.has('market'), h.engine.bus.has('bar')];
    await h.bar('23000.00');
    expect(listening()).toEqual([false, false]);
    const start = h.engine.now();
    await h.algos.start({ ...parent, kind: 'TWAP', parentId: 'T', startTime: start, endTime: start + 4 * MIN, slices: 2 });
    expect(listening()).toEqual([true, true]);
    for (const o of ['23001.00', '23002.00', '23003.00', '23004.00']) await h.bar(o);
    expect(h.sent()).toEqual(['T-1:0.500@1m', 'T-2:0.500@3m']); // its slices went at their times, prices driving the clock
  });

  it('a clock that moves without prices: tick() sends the slice that is due', async () => {
    const h = await algoSetup();
    await h.bar('100.00');
    const start = h.engine.now();
    await h.algos.start({ ...parent, kind: 'TWAP', parentId: 'T', startTime: start + MIN, endTime: start + 5 * MIN, slices: 2 });
    expect(h.sent()).toEqual([]);
    h.clock.advance(MIN);
    await h.algos.tick();
    expect(h.sent()).toEqual(['T-1:0.500@2m']);
  });

  it('LIMIT 99.00: an unfilled slice is canceled at the next slice time and rolled into it; SEND_REMAINDER finishes at market', async () => {
    const h = await algoSetup();
    await h.bar('100.00');
    const start = h.engine.now();
    await h.algos.start({ ...parent, kind: 'TWAP', parentId: 'T', startTime: start, endTime: start + 10 * MIN, slices: 5, order: { type: 'LIMIT', price: '99.00' }, atEnd: 'SEND_REMAINDER' });
    await h.bar('100.00'); // T-1 rests at 99
    await h.bar('100.00'); // 00:03: T-1 canceled, T-2 = 0.2 + 0.2 rolled
    expect(h.engine.order('T-1')?.status).toBe('CANCELED');
    await h.bar('100.00', '100.00', '98.90', '99.50'); // T-2 fills 0.4 at its limit
    expect(h.px('T-2')).toEqual(['0.400@99.00']);
    for (let i = 0; i < 7; i++) await h.bar('100.00'); // to 00:11, the end: the last working slice is canceled
    expect(h.sent()).toEqual(['T-1:0.200@1m', 'T-2:0.400@3m', 'T-3:0.200@5m', 'T-4:0.400@7m', 'T-5:0.600@9m', 'T-6:0.600@11m']);
    expect(h.engine.order('T-6')?.spec.type).toBe('MARKET');
    await h.bar('101.00');
    expect(h.px('T-6')).toEqual(['0.600@101.00']);
    const p = h.algos.progress('T');
    expect(p).toMatchObject({ status: 'DONE', reason: 'FILLED' });
    expect(p.averagePrice?.exact()?.toString()).toBe('100.20'); // (0.4 × 99 + 0.6 × 101) / 1.0
  });

  it('LIMIT with LEAVE: at the end the working slice is canceled and the rest is left; DONE at HORIZON_END with 0.4 filled', async () => {
    const h = await algoSetup();
    await h.bar('100.00');
    const start = h.engine.now();
    await h.algos.start({ ...parent, kind: 'TWAP', parentId: 'T', startTime: start, endTime: start + 10 * MIN, slices: 5, order: { type: 'LIMIT', price: '99.00' } });
    await h.bar('100.00');
    await h.bar('100.00');
    await h.bar('100.00', '100.00', '98.90', '99.50');
    for (let i = 0; i < 8; i++) await h.bar('100.00');
    const p = h.algos.progress('T');
    expect(p).toMatchObject({ status: 'DONE', reason: 'HORIZON_END', slicesSent: 5 });
    expect(p.filled.toString()).toBe('0.400');
    expect([...h.engine.openOrders()]).toEqual([]);
  });

  it('partial fills under a volume cap: what a MARKET slice has not filled by the next slice time rolls into it; filled + working never exceeds 1.0', async () => {
    // 5% of a 0.5 BTC bar: at most 0.025 of ours fills per bar.
    const h = await algoSetup({ exchange: { maxBarVolumeShare: 0.05 } });
    await h.bar('100.00', '100.00', '100.00', '100.00', '0.5');
    const start = h.engine.now();
    await h.algos.start({ ...parent, quantity: '0.2', kind: 'TWAP', parentId: 'T', startTime: start, endTime: start + 4 * MIN, slices: 2, atEnd: 'SEND_REMAINDER' });
    const seen: string[] = [];
    for (let i = 0; i < 12; i++) {
      await h.bar('100.00', '100.00', '100.00', '100.00', '0.5');
      const p = h.algos.progress('T');
      expect(p.filled.add(p.working).cmp(p.quantity)).toBeLessThanOrEqual(0);
      seen.push(p.filled.toString());
    }
    // T-1 (0.1) filled 0.025 + 0.025 by 00:03; T-2 = 0.2 − 0.05 = 0.15; at 00:05 the end: T-2 canceled, T-3 the rest at market.
    expect(h.sent()).toEqual(['T-1:0.100@1m', 'T-2:0.150@3m', 'T-3:0.100@5m']);
    expect(h.algos.progress('T')).toMatchObject({ status: 'DONE', reason: 'FILLED' });
    expect(seen.at(-1)).toBe('0.200');
  });

  it('refuses a bad request with a typed error and starts nothing', async () => {
    const h = await algoSetup();
    const now = h.engine.now();
    await expect(h.algos.start({ ...parent, kind: 'TWAP', parentId: 'T', endTime: now, slices: 5 })).rejects.toMatchObject({ code: 'INVALID_FIELD' });
    await expect(h.algos.start({ ...parent, kind: 'TWAP', parentId: 'T', endTime: now + MIN, slices: 0 })).rejects.toMatchObject({ code: 'INVALID_FIELD' });
    await expect(h.algos.start({ ...parent, quantity: '0.0005', kind: 'TWAP', parentId: 'T', endTime: now + MIN, slices: 1 })).rejects.toMatchObject({ code: 'OFF_LOT_GRID' });
    await expect(h.algos.start({ ...parent, quantity: '0.005', kind: 'TWAP', parentId: 'T', endTime: now + MIN, slices: 1 })).rejects.toMatchObject({ code: 'QUANTITY_BELOW_MIN' });
    await expect(h.algos.start({ ...parent, accountId: 'nope', kind: 'TWAP', parentId: 'T', endTime: now + MIN, slices: 1 })).rejects.toMatchObject({ code: 'UNKNOWN_ACCOUNT' });
    await expect(h.algos.start({ ...parent, side: 'HOLD' as 'BUY', kind: 'TWAP', parentId: 'T', endTime: now + MIN, slices: 1 })).rejects.toMatchObject({ code: 'INVALID_FIELD' });
    expect(h.algos.running()).toEqual([]);
    expect(h.sent()).toEqual([]);
  });
});
