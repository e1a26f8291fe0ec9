import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { firingDirection, initialTouch, midOnGrid, touchTrigger, watchedPrice, type TouchKind } from '../../../src/execution/emulation/triggers.ts';
import { Price } from '../../../src/model/values.ts';

const P = (s: string) => Price.of(s, 2);
const T = (ticks: bigint) => Price.fromRaw(ticks, 2);
const TICK = P('0.01');

describe('stop and if-touched triggers (touchTrigger)', () => {
  it('a sell stop at 95 fires at 95.00 or below; a buy stop at 105 at 105.00 or above; a sell take-profit at 105 on a rise', () => {
    const fires = (kind: TouchKind, side: 'BUY' | 'SELL', trigger: string, price: string) => touchTrigger(initialTouch(kind, side, P(trigger)), P(price)).trigger === 'FIRE';
    expect([fires('STOP', 'SELL', '95', '95.01'), fires('STOP', 'SELL', '95', '95.00'), fires('STOP', 'SELL', '95', '80')]).toEqual([false, true, true]);
    expect([fires('STOP', 'BUY', '105', '104.99'), fires('STOP', 'BUY', '105', '105.00')]).toEqual([false, true]);
    expect([fires('IF_TOUCHED', 'SELL', '105', '104.99'), fires('IF_TOUCHED', 'SELL', '105', '105.00')]).toEqual([false, true]);
    expect([fires('IF_TOUCHED', 'BUY', '98', '98.01'), fires('IF_TOUCHED', 'BUY', '98', '97.50')]).toEqual([false, true]);
  });

  it('property: fed a price path, a trigger fires exactly once, at the first price that reaches it in its direction', () => {
    fc.assert(
      fc.property(
        fc.constantFrom<TouchKind>('STOP', 'IF_TOUCHED'),
        fc.constantFrom('BUY' as const, 'SELL' as const),
        fc.bigInt({ min: 1n, max: 20_000n }),
        fc.array(fc.bigInt({ min: 1n, max: 20_000n }), { maxLength: 30 }),
        (kind, side, trigger, path) => {
          const rising = firingDirection(kind, side) === 'RISING';
          const expected = path.findIndex((p) => (rising ? p >= trigger : p <= trigger));
          let state = initialTouch(kind, side, T(trigger));
          const fired: number[] = [];
          path.forEach((p, i) => {
            const d = touchTrigger(state, T(p));
            state = d.state;
            if (d.trigger) fired.push(i);
          });
          expect(fired).toEqual(expected < 0 ? [] : [expected]);
        },
      ),
    );
  });
});

describe('the price a trigger type watches (watchedPrice)', () => {
  const obs = { last: P('100.05'), bid: P('100.00'), ask: P('100.03') };
  it('LAST and DEFAULT the trade; BID_ASK the ask for a buy and the bid for a sell; MID rounded away from firing; MARK nothing', () => {
    expect(watchedPrice(obs, 'LAST', 'SELL', 'FALLING', TICK)?.toString()).toBe('100.05');
    expect(watchedPrice(obs, 'DEFAULT', 'BUY', 'RISING', TICK)?.toString()).toBe('100.05');
    expect(watchedPrice(obs, 'BID_ASK', 'BUY', 'RISING', TICK)?.toString()).toBe('100.03');
    expect(watchedPrice(obs, 'BID_ASK', 'SELL', 'FALLING', TICK)?.toString()).toBe('100.00');
    // Mid 100.015: up for an order that fires on a fall, down for one that fires on a rise.
    expect(watchedPrice(obs, 'MID', 'SELL', 'FALLING', TICK)?.toString()).toBe('100.02');
    expect(watchedPrice(obs, 'MID', 'BUY', 'RISING', TICK)?.toString()).toBe('100.01');
    expect(watchedPrice(obs, 'MARK', 'SELL', 'FALLING', TICK)).toBeUndefined();
    expect(watchedPrice({ last: P('1') }, 'BID_ASK', 'SELL', 'FALLING', TICK)).toBeUndefined();
    expect(watchedPrice({ bid: P('1'), ask: P('2') }, 'LAST', 'SELL', 'FALLING', TICK)).toBeUndefined();
  });

  it('midOnGrid is exact on a 0.05 grid: 100.00 / 100.15 → 100.05 down, 100.10 up', () => {
    expect(midOnGrid(P('100.00'), P('100.15'), P('0.05'), 'DOWN').toString()).toBe('100.05');
    expect(midOnGrid(P('100.00'), P('100.15'), P('0.05'), 'UP').toString()).toBe('100.10');
  });

  it('property: on MID a trigger fires exactly when the exact mid (bid + ask) / 2 reaches it, for every kind and side', () => {
    fc.assert(
      fc.property(
        fc.constantFrom<TouchKind>('STOP', 'IF_TOUCHED'),
        fc.constantFrom('BUY' as const, 'SELL' as const),
        fc.bigInt({ min: 1n, max: 10_000n }),
        fc.bigInt({ min: 1n, max: 10_000n }),
        fc.bigInt({ min: 0n, max: 50n }),
        (kind, side, trigger, bid, spread) => {
          const direction = firingDirection(kind, side);
          const mid = watchedPrice({ bid: T(bid), ask: T(bid + spread) }, 'MID', side, direction, TICK)!;
          const fired = touchTrigger(initialTouch(kind, side, T(trigger)), mid).trigger === 'FIRE';
          const twiceMid = 2n * bid + spread;
          expect(fired).toBe(direction === 'RISING' ? twiceMid >= 2n * trigger : twiceMid <= 2n * trigger);
        },
      ),
    );
  });
});
