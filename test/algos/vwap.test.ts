import { describe, expect, it } from 'vitest';
import { expectedVolume, volumeProfile } from '../../src/algos/profile.ts';
import { readCsvBars } from '../../src/data/csv-bars.ts';
import type { Bar } from '../../src/model/bar.ts';
import { instrumentId } from '../../src/model/identifiers.ts';
import { algoSetup, BTC, MIN, T0 } from './harness.ts';

const parent = { accountId: 'A', instrumentId: BTC, side: 'SELL', quantity: '1' } as const;
const DATA = new URL('../../../shared/data/market/binanceus-BTCUSDT-1m-2023-03-01_21.csv', import.meta.url).pathname;
const DAY = 86_400_000;

describe('VWAP: slices follow a volume profile', () => {
  it('weights 1:2:3:4 over 8 minutes: 0.1, 0.2, 0.3, 0.4 at minutes 0, 2, 4, 6, all filled', async () => {
    const h = await algoSetup();
    await h.bar('100.00');
    const start = h.engine.now();
    await h.algos.start({ ...parent, kind: 'VWAP', parentId: 'V', startTime: start, endTime: start + 8 * MIN, volume: { kind: 'WEIGHTS', weights: [1, 2, 3, 4] } });
    for (let i = 0; i < 8; i++) await h.bar('100.00');
    expect(h.sent()).toEqual(['V-1:0.100@1m', 'V-2:0.200@3m', 'V-3:0.300@5m', 'V-4:0.400@7m']);
    expect(h.algos.progress('V')).toMatchObject({ status: 'DONE', reason: 'FILLED', slicesFilled: 4 });
    expect(h.engine.order('V-2')?.spec.tags).toEqual(['algo', 'algo:VWAP']);
  });

  it('a profile is the average volume per minute of day; a slice gets the volume its minutes expect (partial minutes pro rata)', () => {
    const id = instrumentId(BTC);
    const b = (ts: number, volume: string): Bar => ({ instrumentId: id, ts, durationMs: MIN, open: '1', high: '1', low: '1', close: '1', volume });
    // Minute 0 of two days: 2 and 4 → 3; minute 1: 10 (one day only).
    const profile = volumeProfile([b(T0, '2'), b(T0 + DAY, '4'), b(T0 + MIN, '10')]);
    expect(profile.averageVolume.get(0)).toBe(3);
    expect(profile.averageVolume.get(1)).toBe(10);
    expect(expectedVolume(profile, T0 + 2 * DAY, T0 + 2 * DAY + 2 * MIN)).toBe(13);
    expect(expectedVolume(profile, T0 + 30_000, T0 + 90_000)).toBe(1.5 + 5);
  });

  it('real BTC bars: a profile of 1–20 March drives a 10-minute, 5-slice VWAP on 21 March; each slice is within one lot of its share, and it ends filled', async () => {
    const id = instrumentId(BTC);
    const bars: Bar[] = [];
    for await (const bar of readCsvBars(DATA, { instrumentId: id })) bars.push(bar);
    const day21 = Date.parse('2023-03-21T00:00:00Z');
    const profile = volumeProfile(bars.filter((x) => x.ts < day21));
    const session = bars.filter((x) => x.ts >= day21 + 14 * 60 * MIN).slice(0, 12); // 14:00–14:12 UTC
    const h = await algoSetup();
    h.clock.set(session[0]!.ts);
    const start = h.engine.now();
    const end = start + 10 * MIN;
    await h.algos.start({ ...parent, kind: 'VWAP', parentId: 'V', startTime: start, endTime: end, volume: { kind: 'PROFILE', profile, slices: 5 } });
    for (const bar of session) {
      h.clock.set(bar.ts + MIN);
      h.ex.onBar(bar, h.inst);
      h.engine.updateBar(bar);
      await h.algos.idle();
    }
    const expected = [0, 1, 2, 3, 4].map((i) => expectedVolume(profile, start + 2 * i * MIN, start + 2 * (i + 1) * MIN));
    const total = expected.reduce((a, b) => a + b, 0);
    const sent = h.events.flatMap((e) => (e.kind === 'OrderInitialized' ? [e.spec.quantity.toNumber()] : []));
    expect(sent).toHaveLength(5);
    sent.forEach((q, i) => expect(Math.abs(q - expected[i]! / total)).toBeLessThan(0.001));
    expect(sent.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 9);
    const p = h.algos.progress('V');
    expect(p).toMatchObject({ status: 'DONE', reason: 'FILLED' });
    expect(p.filled.toString()).toBe('1.000');
    // The average is exact: Σ(qty × fill price) / 1.000, checked against the fills themselves.
    const cost = h.fills.reduce((a, f) => a + f.lastQty.raw * f.lastPx.raw, 0n);
    expect(p.averagePrice?.costRaw).toBe(cost);
  });
});
