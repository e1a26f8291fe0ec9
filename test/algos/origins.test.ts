import { describe, expect, it } from 'vitest';
import { strategyOrigin } from '../../src/engine/origin.ts';
import { algoSetup, BTC, MIN } from './harness.ts';

/**
 * An algorithm's children go out as whoever started it (ARCHITECTURE "Authority is explicit"):
 * a strategy's slices are journaled as the strategy's and pass the engine's checks for it.
 */
const parent = { accountId: 'A', strategyId: 's1', instrumentId: BTC, side: 'BUY', quantity: '1' } as const;
const s1 = strategyOrigin('s1');

function origins(events: readonly { kind: string; clientOrderId: string; origin?: string }[]): string[] {
  return events.flatMap((e) => (e.kind === 'OrderInitialized' ? [`${e.clientOrderId} ${e.origin ?? 'none'}`] : []));
}

describe('execution algorithm children carry the origin that started the algorithm', () => {
  it('a TWAP started by s1 (LIMIT 99, an unfilled slice canceled and rolled): every slice is journaled STRATEGY:s1', async () => {
    const h = await algoSetup();
    await h.bar('100.00');
    const start = h.engine.now();
    await h.algos.start({ ...parent, kind: 'TWAP', parentId: 'T', startTime: start, endTime: start + 4 * MIN, slices: 2, order: { type: 'LIMIT', price: '99.00' }, atEnd: 'SEND_REMAINDER' }, s1);
    await h.bar('100.00');
    await h.bar('100.00'); // 00:03: T-1 canceled (as s1), T-2 = 1.0 rolled
    expect(h.engine.order('T-1')?.status).toBe('CANCELED');
    expect(origins(h.events)).toEqual(['T-1 STRATEGY:s1', 'T-2 STRATEGY:s1']);
    expect(h.alerts).toEqual([]);
  });

  it('without an origin (the composition root) the slices stay SYSTEM', async () => {
    const h = await algoSetup();
    await h.bar('100.00');
    const start = h.engine.now();
    await h.algos.start({ ...parent, kind: 'TWAP', parentId: 'T', startTime: start, endTime: start + 4 * MIN, slices: 2 });
    expect(origins(h.events)).toEqual(['T-1 SYSTEM']);
  });

  it('s1 starting an algorithm for s2 (NOT_OWN_ORDER) or with the tag warden:flatten (RESERVED_TAG) is refused at start; nothing is sent', async () => {
    const h = await algoSetup();
    await h.bar('100.00');
    const start = h.engine.now();
    const twap = { ...parent, kind: 'TWAP', startTime: start, endTime: start + 4 * MIN, slices: 2 } as const;
    await expect(h.algos.start({ ...twap, parentId: 'A', strategyId: 's2' }, s1)).rejects.toMatchObject({ code: 'NOT_OWN_ORDER' });
    await expect(h.algos.start({ ...twap, parentId: 'B', tags: ['warden:flatten'] }, s1)).rejects.toMatchObject({ code: 'RESERVED_TAG' });
    expect(h.algos.running()).toEqual([]);
    expect(origins(h.events)).toEqual([]);
  });
});
