import { describe, expect, it } from 'vitest';
import { breakerStatus } from '../../../src/risk/breakers/index.ts';
import { common, MINUTE, rig } from './rig.ts';

/** An order-rate breaker (5 a minute) that trips on the 5th resting order. */
async function tripped(over: Parameters<typeof common>[0]) {
  const r = await rig({ order_rate: { ...common(over), max_orders_per_minute: 5 } });
  for (let i = 1; i <= 5; i++) await r.rest(`L${i}`);
  expect(r.trips()).toHaveLength(1);
  return r;
}

describe('breaker lifecycle: CLOSED → OPEN → reset', () => {
  it('auto-resets 15 minutes after the trip (auto_reset_after_minutes 15), not at 14:59', async () => {
    const r = await tripped({ auto_reset_after_minutes: 15 });
    const t = r.clock.now();
    expect(r.trips()[0]?.autoResetAt).toBe(t + 15 * MINUTE);
    await r.tick(14 * MINUTE);
    expect(breakerStatus(r.engine, r.monitors).breakers).toMatchObject([{ breaker: 'order_rate', scope: 'ACCOUNT:ACC-1', state: 'OPEN', msToReset: MINUTE }]);
    await r.tick(59_000);
    expect(r.state()).toBe('HALTED');
    await r.tick(1000);
    expect(r.resets()).toMatchObject([{ breaker: 'order_rate', scope: 'ACCOUNT:ACC-1', source: 'AUTO' }]);
    expect(r.state()).toBe('ACTIVE');
    expect(r.alertCodes()).toContain('BREAKER_RESET');
    expect(breakerStatus(r.engine, r.monitors).breakers[0]).toMatchObject({ state: 'CLOSED', msToReset: undefined });
  });

  it('require_manual_reset wins over auto_reset_after_minutes 15: still OPEN after 24 h until an operator resets it', async () => {
    const r = await tripped({ auto_reset_after_minutes: 15, require_manual_reset: true });
    expect(r.trips()[0]?.autoResetAt).toBeUndefined();
    await r.tick(24 * 60 * MINUTE);
    expect(r.resets()).toHaveLength(0);
    expect(r.state()).toBe('HALTED');
    expect(breakerStatus(r.engine, r.monitors).breakers[0]).toMatchObject({ state: 'OPEN', msToReset: undefined });
    await r.control.resetBreaker('order_rate', 'ACCOUNT:ACC-1', r.engine.authority.issue('ops', ['RISK']));
    expect(r.state()).toBe('ACTIVE');
  });

  it('auto_reset_after_minutes null means manual reset only', async () => {
    const r = await tripped({});
    await r.tick(7 * 24 * 60 * MINUTE);
    expect(r.state()).toBe('HALTED');
  });

  it('a cooldown of 30 minutes holds an auto-reset of 10 minutes until minute 30 and refuses an operator before then', async () => {
    const r = await tripped({ auto_reset_after_minutes: 10, cooldown_minutes: 30 });
    await r.tick(10 * MINUTE);
    expect(r.state()).toBe('HALTED');
    await expect(r.control.resetBreaker('order_rate', 'ACCOUNT:ACC-1', r.engine.authority.issue('ops', ['RISK']))).rejects.toMatchObject({ code: 'TRADING_STATE_REFUSED' });
    await r.tick(20 * MINUTE - 1);
    expect(r.state()).toBe('HALTED');
    await r.tick(1);
    expect(r.resets()).toMatchObject([{ source: 'AUTO' }]);
    expect(r.state()).toBe('ACTIVE');
  });

  it('an operator may reset after a 5-minute cooldown', async () => {
    const r = await tripped({ cooldown_minutes: 5 });
    await r.tick(5 * MINUTE);
    await r.control.resetBreaker('order_rate', 'ACCOUNT:ACC-1', r.engine.authority.issue('ops', ['RISK']));
    expect(r.state()).toBe('ACTIVE');
  });

  it('REDUCE makes the scope REDUCING, and cancel_orders false leaves working orders alone', async () => {
    const r = await tripped({ action: 'REDUCE', cancel_orders: false });
    expect(r.state()).toBe('REDUCING');
    expect([...r.engine.openOrders()]).toHaveLength(5);
  });

  it('alerts a near-miss once at 80% (the 8th of 10 orders a minute, not the 9th) and again after the rate falls back', async () => {
    const r = await rig({ order_rate: { ...common(), max_orders_per_minute: 10 } });
    for (let i = 1; i <= 7; i++) await r.rest(`A${i}`);
    expect(r.alertCodes()).not.toContain('BREAKER_NEAR_MISS');
    await r.rest('A8'); // 8 of 10
    await r.rest('A9');
    const near = r.alerts.filter((a) => a.code === 'BREAKER_NEAR_MISS');
    expect(near).toHaveLength(1);
    expect(near[0]?.context).toMatchObject({ breaker: 'order_rate', scope: 'ACCOUNT:ACC-1', value: 8, threshold: 10 });
    r.clock.advance(61_000);
    await r.rest('B1'); // 1 in the minute: below 80% again
    for (let i = 2; i <= 8; i++) await r.rest(`B${i}`);
    expect(r.alerts.filter((a) => a.code === 'BREAKER_NEAR_MISS')).toHaveLength(2);
    expect(r.trips()).toHaveLength(0);
  });

  it('a disabled breaker is not created', async () => {
    const r = await rig({ order_rate: { ...common({ enabled: false }), max_orders_per_minute: 1 } });
    expect(r.monitors).toHaveLength(0);
    await r.rest('L1');
    expect(r.trips()).toHaveLength(0);
  });
});
