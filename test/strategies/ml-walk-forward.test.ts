import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compareDecimal, LabelledWindow, RetrainSchedule } from '../../src/strategies/ml-walk-forward.ts';

/** An integer of 10^-scale units as decimal text. */
const text = (units: bigint, scale: number): string => {
  const neg = units < 0n;
  const s = (neg ? -units : units).toString().padStart(scale + 1, '0');
  return `${neg ? '-' : ''}${scale === 0 ? s : `${s.slice(0, -scale)}.${s.slice(-scale)}`}`;
};

describe('walk-forward plumbing of the ML strategies', () => {
  it('compareDecimal orders decimal texts exactly, whatever their number of decimals', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -(10n ** 12n), max: 10n ** 12n }), fc.bigInt({ min: -(10n ** 12n), max: 10n ** 12n }), fc.nat(8), fc.nat(8), (a, b, sa, sb) => {
        // a × 10^-sa against b × 10^-sb, cross-multiplied in integers.
        const l = a * 10n ** BigInt(sb);
        const r = b * 10n ** BigInt(sa);
        expect(compareDecimal(text(a, sa), text(b, sb))).toBe(l < r ? -1 : l > r ? 1 : 0);
        expect(compareDecimal(text(b, sb), text(a, sa))).toBe(l < r ? 1 : l > r ? -1 : 0);
      }),
    );
  });

  it('a labelled sample exists only once its forward close has been pushed, labelled from closes already seen', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 50 }), { minLength: 1, maxLength: 80 }), fc.integer({ min: 1, max: 6 }), fc.integer({ min: 1, max: 30 }), (closes, h, w) => {
        const lw = new LabelledWindow<number>(h, w);
        closes.forEach((c, t) => {
          lw.push(t % 3 === 2 ? null : t, `${c}.00`);
          // After bar t: samples of bars i ≤ t − h that had an input, the last w of them.
          const want: { x: number; y: 0 | 1 }[] = [];
          for (let i = 0; i + h <= t; i++) if (i % 3 !== 2) want.push({ x: i, y: closes[i + h]! > closes[i]! ? 1 : 0 });
          expect(lw.samples()).toEqual(want.slice(-w));
        });
      }),
    );
  });

  it('the schedule trains when the window first fills and then every `retrain` bars', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 40 }), fc.integer({ min: 1, max: 15 }), (fullAt, retrain) => {
        const s = new RetrainSchedule(retrain);
        const trained: number[] = [];
        for (let t = 0; t < 100; t++) if (s.due(t >= fullAt)) trained.push(t);
        const want: number[] = [];
        for (let t = fullAt; t < 100; t += retrain) want.push(t);
        expect(trained).toEqual(want);
      }),
    );
  });
});
