import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PriceLadder } from '../../../src/risk/gate/ladder.ts';
import { RateCounter } from '../../../src/risk/gate/rate.ts';
import { RecentOrders } from '../../../src/risk/gate/recent.ts';

const T = 1_704_153_600_000;

describe('RateCounter: per second, minute and hour over 3,600 one-second buckets', () => {
  it('3 in second 0 and 2 in second 59: minute 5 at 59 s, 2 at 60 s; hour 5 until 3,600 s', () => {
    const c = new RateCounter();
    for (let i = 0; i < 3; i++) c.add(T + 10);
    c.add(T + 59_000);
    c.add(T + 59_999);
    expect(c.perSecond(T + 59_999)).toBe(2);
    expect(c.perMinute(T + 59_999)).toBe(5);
    expect(c.perMinute(T + 60_000)).toBe(2);
    expect(c.perHour(T + 3_599_999)).toBe(5);
    expect(c.perHour(T + 3_600_000)).toBe(2);
    expect(c.perHour(T + 3_659_000)).toBe(0);
  });

  it('property: the windowed counts equal a brute-force count of the messages', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 5_000_000 }), { maxLength: 200 }), fc.integer({ min: 0, max: 8_000_000 }), (gaps, probe) => {
        const c = new RateCounter();
        const times: number[] = [];
        let t = T;
        for (const g of gaps.map((x) => x % 90_000)) {
          t += g;
          c.add(t);
          times.push(Math.floor(t / 1000));
        }
        const now = t + probe;
        const sec = Math.floor(now / 1000);
        expect(c.perSecond(now)).toBe(times.filter((s) => s === sec).length);
        expect(c.perMinute(now)).toBe(times.filter((s) => s > sec - 60).length);
        expect(c.perHour(now)).toBe(times.filter((s) => s > sec - 3600).length);
      }),
    );
  });
});

describe('PriceLadder: our best resting price per side', () => {
  it('bids 100, 101, 101, 99: best 101 until both 101s go, then 100, then 99, then none', () => {
    const l = new PriceLadder('BUY');
    for (const p of [100n, 101n, 101n, 99n]) l.add(p);
    expect(l.best()).toBe(101n);
    l.remove(101n);
    expect(l.best()).toBe(101n);
    l.remove(101n);
    expect(l.best()).toBe(100n);
    l.remove(100n);
    expect(l.best()).toBe(99n);
    l.remove(99n);
    expect(l.best()).toBeUndefined();
  });

  it('property: best equals the min (offers) of what rests, through adds and removes', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.boolean(), fc.integer({ min: 1, max: 50 })), { maxLength: 500 }), (ops) => {
        const l = new PriceLadder('SELL');
        const resting: number[] = [];
        for (const [add, p] of ops) {
          if (add) {
            l.add(BigInt(p));
            resting.push(p);
          } else if (resting.includes(p)) {
            l.remove(BigInt(p));
            resting.splice(resting.indexOf(p), 1);
          }
          expect(l.best()).toBe(resting.length ? BigInt(Math.min(...resting)) : undefined);
        }
      }),
    );
  });
});

describe('RecentOrders: the duplicate window', () => {
  it('seen at 0 with a 1,000 ms window: a duplicate at 999 ms, forgotten at 1,000 ms and dropped from memory later', () => {
    const r = new RecentOrders(1_000);
    r.add('a', 1n, T);
    expect(r.seenAt('a', T + 999)).toBe(T);
    expect(r.seenAt('a', T + 1_000)).toBeUndefined();
    r.add('b', 2n, T + 5_000);
    expect(r.size).toBe(1);
  });

  it('property: mayHave(qty) is true whenever a fingerprint of that quantity is remembered, false once none is', () => {
    fc.assert(
      fc.property(fc.array(fc.record({ key: fc.constantFrom('a', 'b', 'c', 'd'), gap: fc.nat({ max: 700 }) }), { maxLength: 300 }), (sends) => {
        const r = new RecentOrders(1_000);
        const qtyOf = (k: string): bigint => BigInt(k.charCodeAt(0) % 3); // a and d share a quantity
        const sentAt = new Map<string, number>();
        let t = T;
        for (const { key, gap } of sends) {
          t += gap;
          r.add(key, qtyOf(key), t);
          sentAt.set(key, t);
          for (const q of [0n, 1n, 2n]) {
            // Remembered: still inside the window at the last send (entries expire as sends come in).
            const live = [...sentAt].some(([k, at]) => qtyOf(k) === q && t - at < 1_000);
            if (live) expect(r.mayHave(q)).toBe(true);
            const stale = [...sentAt].every(([k, at]) => qtyOf(k) !== q || t - at >= 1_000);
            if (stale) expect(r.mayHave(q)).toBe(false);
          }
        }
      }),
    );
  });
});
