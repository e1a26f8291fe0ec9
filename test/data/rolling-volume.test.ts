import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DAY_MS, MINUTE_MS, RollingVolume } from '../../src/data/rolling-volume.ts';

const T0 = Date.UTC(2023, 2, 1, 0, 0, 0);

describe('rolling 24-hour volume', () => {
  it('sums prints exactly, to the finest size seen (0.1 + 0.2 is 0.3, not 0.30000000000000004)', () => {
    const v = new RollingVolume();
    v.addTrade('X', T0, '0.1');
    v.addTrade('X', T0 + 1_000, '0.2');
    v.addTrade('X', T0 + 61_000, '1.00005');
    expect(v.volume('X', T0 + 61_000)).toEqual({ volume: '1.30005', source: 'trades', since: T0 + MINUTE_MS - DAY_MS + MINUTE_MS });
  });

  it('drops what traded more than 24 hours (1440 whole minutes) ago', () => {
    const v = new RollingVolume();
    v.addTrade('X', T0, '5');
    v.addTrade('X', T0 + 60_000, '7');
    // The bucket of T0 is the window's first minute until the clock reaches T0 + 24 h.
    expect(v.volume('X', T0 + DAY_MS - 1)!.volume).toBe('12');
    expect(v.volume('X', T0 + DAY_MS)!.volume).toBe('7');
    expect(v.volume('X', T0 + DAY_MS + 60_000)).toBeUndefined();
  });

  it("a bar's volume counts in the minute of its close; prints win over bars so a feed of both is not counted twice", () => {
    const v = new RollingVolume();
    v.addBar('X', T0, 60_000, '2.5');
    v.addBar('X', T0 + 60_000, 60_000, '1.5');
    expect(v.volume('X', T0 + 120_000)).toMatchObject({ volume: '4.0', source: 'bars' });
    v.addTrade('X', T0 + 120_000, '0.25');
    expect(v.volume('X', T0 + 120_000)).toMatchObject({ volume: '0.25', source: 'trades' });
    // An hour bar lands in its last minute: gone from the window a day after its close, not its open.
    const h = new RollingVolume();
    h.addBar('Y', T0, 3_600_000, '10');
    expect(h.volume('Y', T0 + 3_600_000 + DAY_MS - 61_000)!.volume).toBe('10');
  });

  it('refuses sizes that are not decimals at or above zero (nothing counted); an unseen instrument has no figure', () => {
    const v = new RollingVolume();
    expect(v.addTrade('X', T0, '-1')).toBe(false);
    expect(v.addTrade('X', T0, 'abc')).toBe(false);
    expect(v.addTrade('X', Number.NaN, '1')).toBe(false);
    expect(v.volume('X', T0)).toBeUndefined();
    expect(() => new RollingVolume(90_000, 60_000)).toThrow(RangeError);
  });

  it('property: the figure is the exact sum of the sizes in the window, in any arrival order, with at most a window of buckets kept', () => {
    const trade = fc.record({ at: fc.integer({ min: 0, max: 3 * DAY_MS }), units: fc.bigInt({ min: 0n, max: 10n ** 12n }), scale: fc.integer({ min: 0, max: 8 }) });
    fc.assert(
      fc.property(fc.array(trade, { minLength: 1, maxLength: 60 }), fc.integer({ min: 0, max: 3 * DAY_MS }), (trades, probe) => {
        const v = new RollingVolume();
        const sorted = [...trades].sort((a, b) => a.at - b.at);
        for (const t of sorted) v.addTrade('X', T0 + t.at, text(t.units, t.scale));
        const now = T0 + Math.max(probe, sorted.at(-1)!.at);
        const from = Math.floor(now / MINUTE_MS) * MINUTE_MS - DAY_MS + MINUTE_MS;
        const inside = sorted.filter((t) => T0 + t.at >= from && T0 + t.at <= now);
        const got = v.volume('X', now);
        if (inside.length === 0) return got === undefined;
        // Compare at 8 places: exact integers, no float.
        return got !== undefined && at8(got.volume) === inside.reduce((a, t) => a + t.units * 10n ** BigInt(8 - t.scale), 0n);
      }),
    );
  });
});

function text(units: bigint, scale: number): string {
  if (scale === 0) return units.toString();
  const s = units.toString().padStart(scale + 1, '0');
  return `${s.slice(0, -scale)}.${s.slice(-scale)}`;
}

function at8(s: string): bigint {
  const [i = '0', f = ''] = s.split('.');
  return BigInt(i + f.padEnd(8, '0'));
}
