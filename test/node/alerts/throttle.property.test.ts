import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { admit, dedupeKey, drain, EMPTY_THROTTLE, heldCount, nextRelease, release, type ThrottleLimits, type ThrottleState } from '../../../src/node/alerts/throttle.ts';

type Step = { readonly kind: 'alert'; readonly code: string; readonly key: string; readonly dt: number } | { readonly kind: 'tick'; readonly dt: number };

const step: fc.Arbitrary<Step> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('alert' as const), code: fc.constantFrom('BREAKER_TRIPPED', 'TRADING_STATE_CHANGED', 'VENUE_DISCONNECTED'), key: fc.constantFrom('a', 'b', 'c'), dt: fc.nat(400) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('tick' as const), dt: fc.nat(3000) }) },
);
const limits: fc.Arbitrary<ThrottleLimits> = fc.record({ dedupeMs: fc.nat(2000), max: fc.integer({ min: 1, max: 6 }), windowMs: fc.integer({ min: 1, max: 2000 }) });

interface Run {
  readonly sendTimes: number[];
  readonly alertsIn: number;
  readonly sentAlerts: number;
  readonly repeatedOnSends: number;
  readonly summarised: number;
  readonly state: ThrottleState;
  readonly end: number;
}

/** Drives the decisions as the channel does: each alert admitted, and release run at every tick and at each alert. */
function run(steps: readonly Step[], l: ThrottleLimits): Run {
  let s = EMPTY_THROTTLE;
  let now = 1_000_000;
  const r = { sendTimes: [] as number[], alertsIn: 0, sentAlerts: 0, repeatedOnSends: 0, summarised: 0 };
  const rel = (): void => {
    const out = release(s, now, l);
    s = out.state;
    if (out.summary) {
      r.sendTimes.push(now);
      r.summarised += out.summary.count;
      expect(Object.values(out.summary.byCode).reduce((a, b) => a + b, 0)).toBe(out.summary.count);
    }
  };
  for (const st of steps) {
    now += st.dt;
    if (st.kind === 'tick') {
      rel();
      continue;
    }
    r.alertsIn++;
    const a = admit(s, { code: st.code, key: `${st.code}|${st.key}` }, now, l);
    s = a.state;
    if (a.verdict.do === 'send') {
      r.sendTimes.push(now);
      r.sentAlerts++;
      r.repeatedOnSends += a.verdict.repeated;
    }
    rel();
  }
  return { ...r, state: s, end: now };
}

describe('alert throttle (dedupe and rate limit): pure decisions', () => {
  it('never more than max messages (alerts and summaries) in any window of windowMs', () => {
    fc.assert(
      fc.property(fc.array(step, { maxLength: 200 }), limits, (steps, l) => {
        const { sendTimes } = run(steps, l);
        for (let i = 0; i < sendTimes.length; i++) {
          const inWindow = sendTimes.filter((t) => t >= sendTimes[i]! && t < sendTimes[i]! + l.windowMs).length;
          expect(inWindow).toBeLessThanOrEqual(l.max);
        }
      }),
    );
  });

  it('nothing is silently lost: every alert is sent, counted as repeated on a later send, summarised, or still counted in the state (drained at close)', () => {
    fc.assert(
      fc.property(fc.array(step, { maxLength: 200 }), limits, (steps, l) => {
        const r = run(steps, l);
        expect(r.sentAlerts + r.repeatedOnSends + r.summarised + heldCount(r.state)).toBe(r.alertsIn);
        expect(drain(r.state, r.end)?.count ?? 0).toBe(heldCount(r.state));
      }),
    );
  });

  it('whatever is held is released by nextRelease: waiting until it (repeatedly) leaves nothing counted', () => {
    fc.assert(
      fc.property(fc.array(step, { maxLength: 100 }), limits, (steps, l) => {
        const r = run(steps, l);
        let s = r.state;
        let now = r.end;
        let summarised = 0;
        for (let i = 0; i < 1000; i++) {
          const at = nextRelease(s, now, l);
          if (at === undefined) break;
          now = Math.max(now, at);
          const out = release(s, now, l);
          s = out.state;
          summarised += out.summary?.count ?? 0;
        }
        expect(heldCount(s)).toBe(0);
        expect(summarised).toBe(heldCount(r.state));
      }),
    );
  });
});

describe('alert throttle: examples', () => {
  const l = { dedupeMs: 60_000, max: 2, windowMs: 60_000 };

  it('the same breaker tripping 5 times in 10 s: sent once; the next after the dedupe window says repeated 4 times', () => {
    let s = EMPTY_THROTTLE;
    const verdicts: string[] = [];
    for (let i = 0; i < 5; i++) {
      const a = admit(s, { code: 'BREAKER_TRIPPED', key: 'k' }, i * 2_000, l);
      s = a.state;
      verdicts.push(a.verdict.do);
    }
    expect(verdicts).toEqual(['send', 'duplicate', 'duplicate', 'duplicate', 'duplicate']);
    expect(admit(s, { code: 'BREAKER_TRIPPED', key: 'k' }, 61_000, l).verdict).toEqual({ do: 'send', repeated: 4 });
  });

  it('three different alerts with max 2: the third is held and summarised once the first slot returns, 60 s after the first send', () => {
    let s = EMPTY_THROTTLE;
    for (const [i, k] of ['a', 'b', 'c'].entries()) s = admit(s, { code: 'X', key: k }, i, l).state;
    expect(s.held).toEqual({ count: 1, byCode: { X: 1 }, since: 2 });
    expect(nextRelease(s, 10, l)).toBe(60_000);
    expect(release(s, 59_999, l).summary).toBeUndefined();
    expect(release(s, 60_000, l).summary).toEqual({ count: 1, byCode: { X: 1 }, since: 2 });
  });

  it('the dedupe key is the code and the subject fields: a new value is the same alert, another scope is not', () => {
    expect(dedupeKey('BREAKER_TRIPPED', { breaker: 'errors', scope: 'FIRM', value: 3 })).toBe(dedupeKey('BREAKER_TRIPPED', { breaker: 'errors', scope: 'FIRM', value: 7 }));
    expect(dedupeKey('BREAKER_TRIPPED', { breaker: 'errors', scope: 'FIRM' })).not.toBe(dedupeKey('BREAKER_TRIPPED', { breaker: 'errors', scope: 'ACCOUNT:ACC-1' }));
  });
});
