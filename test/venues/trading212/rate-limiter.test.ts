/**
 * The per-endpoint limiter (src/venues/trading212/rate-limits.ts): whatever the sequence of
 * attempts and answers, no window of the documented period ever sees more sends than the
 * documented limit; the headers and a 429 only ever make it wait longer.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DOCUMENTED_LIMITS, initialWindow, nextSlot, observeAnswer, rateHeadersOf, recordSend, T212_ENDPOINTS, type RateHeaders, type WindowState } from '../../../src/venues/trading212/rate-limits.ts';

type Step = { dt: number; kind: 'try' } | { dt: number; kind: 'answer'; status: number; headers: RateHeaders };

const step: fc.Arbitrary<Step> = fc.oneof(
  fc.record({ dt: fc.integer({ min: 0, max: 3_000 }), kind: fc.constant('try' as const) }),
  fc.record({
    dt: fc.integer({ min: 0, max: 3_000 }),
    kind: fc.constant('answer' as const),
    status: fc.constantFrom(200, 200, 400, 429, 503),
    headers: fc.record(
      { limit: fc.integer({ min: 0, max: 100 }), periodSec: fc.integer({ min: 0, max: 120 }), remaining: fc.integer({ min: 0, max: 60 }), resetSec: fc.integer({ min: 0, max: 2_000_000 }), used: fc.integer({ min: 0, max: 60 }) },
      { requiredKeys: [] },
    ),
  }),
);

/** Runs the steps from t0; the times of the sends the limiter allowed. */
function run(endpoint: (typeof T212_ENDPOINTS)[number], steps: readonly Step[], t0: number): { sends: number[]; end: WindowState } {
  let s = initialWindow(DOCUMENTED_LIMITS[endpoint], 0);
  let now = t0;
  const sends: number[] = [];
  for (const x of steps) {
    now += x.dt;
    if (x.kind === 'try') {
      if (nextSlot(s, now) <= now) {
        s = recordSend(s, now);
        sends.push(now);
      }
    } else s = observeAnswer(s, now, x.status, x.headers);
  }
  return { sends, end: s };
}

describe('Trading 212 rate limiter', () => {
  it('never lets more than the documented limit into any window of the documented period, whatever the headers say', () => {
    fc.assert(
      fc.property(fc.constantFrom(...T212_ENDPOINTS), fc.array(step, { maxLength: 300 }), fc.integer({ min: 1_600_000_000_000, max: 1_800_000_000_000 }), (endpoint, steps, t0) => {
        const { limit, periodMs } = DOCUMENTED_LIMITS[endpoint];
        const { sends } = run(endpoint, steps, t0);
        for (let i = 0; i < sends.length; i++) {
          const inWindow = sends.filter((t) => t >= sends[i]! && t < sends[i]! + periodMs).length;
          expect(inWindow).toBeLessThanOrEqual(limit);
        }
      }),
    );
  });

  it('always names a slot: with no block, at most one period away', () => {
    fc.assert(
      fc.property(fc.constantFrom(...T212_ENDPOINTS), fc.array(fc.integer({ min: 0, max: 5_000 }), { maxLength: 100 }), (endpoint, gaps) => {
        let s = initialWindow(DOCUMENTED_LIMITS[endpoint], 0);
        let now = 1_700_000_000_000;
        for (const g of gaps) {
          now += g;
          const at = nextSlot(s, now);
          expect(at).toBeGreaterThanOrEqual(now);
          expect(at).toBeLessThanOrEqual(now + DOCUMENTED_LIMITS[endpoint].periodMs);
          s = recordSend(s, at);
          now = at;
        }
      }),
    );
  });

  it('waits for x-ratelimit-reset when nothing remains, and after a 429 (1 limit order per 2 s)', () => {
    const now = 1_700_000_000_000;
    let s = initialWindow(DOCUMENTED_LIMITS.ORDER_LIMIT, 0);
    expect(nextSlot(s, now)).toBe(now);
    // Another client of the account spent the quota: reset in 1.5 s.
    s = observeAnswer(s, now, 200, { limit: 1, periodSec: 2, remaining: 0, resetSec: (now + 1_500) / 1000 });
    expect(nextSlot(s, now)).toBe(now + 1_500);
    s = observeAnswer(initialWindow(DOCUMENTED_LIMITS.ORDER_LIMIT, 0), now, 429, {});
    expect(nextSlot(s, now)).toBe(now + 2_000);
    // A looser limit in the headers is not believed; a stricter one is.
    const loose = observeAnswer(initialWindow(DOCUMENTED_LIMITS.HISTORY_ORDERS, 0), now, 200, { limit: 600 });
    expect(loose.limit).toBe(6);
    expect(observeAnswer(loose, now, 200, { limit: 3 }).limit).toBe(3);
  });

  it('refuses to record a send before its slot', () => {
    const now = 1_700_000_000_000;
    const s = recordSend(initialWindow(DOCUMENTED_LIMITS.ORDERS, 0), now);
    expect(() => recordSend(s, now + 4_999)).toThrow(RangeError);
    expect(recordSend(s, now + 5_000).sent).toEqual([now + 5_000]); // the first left the window
  });

  it('reads the documented x-ratelimit-* headers', () => {
    const h: Record<string, string> = { 'x-ratelimit-limit': '50', 'x-ratelimit-period': '60', 'x-ratelimit-remaining': '49', 'x-ratelimit-reset': '1765091340', 'x-ratelimit-used': '1' };
    expect(rateHeadersOf((n) => h[n] ?? null)).toEqual({ limit: 50, periodSec: 60, remaining: 49, resetSec: 1765091340, used: 1 });
    expect(rateHeadersOf(() => 'soon')).toEqual({});
  });
});
