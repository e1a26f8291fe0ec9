import { describe, expect, it } from 'vitest';
import type { SubmitRequest } from '../../../src/engine/venue.ts';
import { ScriptedVenue } from '../../../src/venues/scripted/scripted-venue.ts';
import { breakerStatus } from '../../../src/risk/breakers/index.ts';
import { FailingVenue } from '../../engine/fixtures.ts';
import { common, MINUTE, rig, type Rig } from './rig.ts';

/** One round trip of 1 ETH: buy at 2000.00, sell at `exit`. */
async function roundTrip(r: Rig, n: number, exit: string): Promise<void> {
  r.market.last = '2000.00';
  await r.trade(`RT${n}-B`, 'BUY', '1');
  r.market.last = exit;
  await r.trade(`RT${n}-S`, 'SELL', '1');
}

describe('consecutive losses breaker', () => {
  it('trips strategy s1 after the 3rd losing round trip in a row, not after the 2nd', async () => {
    const r = await rig({ consecutive_losses: { ...common({ scope: 'STRATEGY' }), max_consecutive_losses: 3 } });
    await roundTrip(r, 1, '1990.00');
    await roundTrip(r, 2, '1990.00');
    expect(r.trips()).toHaveLength(0);
    expect(breakerStatus(r.engine, r.monitors).consecutiveLosses).toEqual([{ scope: 'STRATEGY:s1', count: 2 }]);
    await roundTrip(r, 3, '1990.00');
    expect(r.trips()).toMatchObject([{ breaker: 'consecutive_losses', scope: 'STRATEGY:s1', value: 3, threshold: 3 }]);
    expect(r.state('ACC-1', 's1')).toBe('HALTED');
    expect(r.state('ACC-1', 's2')).toBe('ACTIVE');
  });

  it('a winning round trip ends the streak: L, L, W, L, L is a streak of 2', async () => {
    const r = await rig({ consecutive_losses: { ...common({ scope: 'STRATEGY' }), max_consecutive_losses: 3 } });
    for (const [i, exit] of ['1990.00', '1990.00', '2010.00', '1990.00', '2000.00'].entries()) await roundTrip(r, i, exit);
    expect(r.trips()).toHaveLength(0);
    expect(breakerStatus(r.engine, r.monitors).consecutiveLosses).toEqual([{ scope: 'STRATEGY:s1', count: 2 }]);
  });
});

describe('order rate breaker', () => {
  it('trips at the 5th order within a minute (max_orders_per_minute 5) and cancels the 5 working orders', async () => {
    const r = await rig({ order_rate: { ...common({ scope: 'STRATEGY' }), max_orders_per_minute: 5 } });
    for (let i = 1; i <= 4; i++) await r.rest(`L${i}`);
    expect(r.trips()).toHaveLength(0);
    await r.rest('L5');
    expect(r.trips()).toMatchObject([{ breaker: 'order_rate', scope: 'STRATEGY:s1', value: 5, threshold: 5 }]);
    expect([...r.engine.openOrders()]).toHaveLength(0);
    expect(r.venue.calls.filter((c) => c.kind === 'cancel')).toHaveLength(5);
  });

  it('counts a sliding minute: 4 orders, 61 s later 4 more, is never 5 in a minute', async () => {
    const r = await rig({ order_rate: { ...common(), max_orders_per_minute: 5 } });
    for (let i = 1; i <= 4; i++) await r.rest(`A${i}`);
    r.clock.advance(61_000);
    for (let i = 1; i <= 4; i++) await r.rest(`B${i}`);
    expect(r.trips()).toHaveLength(0);
  });

  it('trips at the 10th order within an hour (max_orders_per_hour 10) at one order every 5 minutes', async () => {
    const r = await rig({ order_rate: { ...common(), max_orders_per_hour: 10 } });
    for (let i = 1; i <= 9; i++) {
      await r.rest(`H${i}`);
      r.clock.advance(5 * MINUTE);
    }
    expect(r.trips()).toHaveLength(0);
    await r.rest('H10');
    expect(r.trips()).toMatchObject([{ breaker: 'order_rate', value: 10, threshold: 10, message: '10 orders in the last hour' }]);
  });
});

/** Rejects every submit while `rejecting`. */
class RejectingVenue extends ScriptedVenue {
  rejecting = true;
  override submit(req: SubmitRequest): void {
    if (!this.rejecting) return super.submit(req);
    this.emit({ kind: 'OrderRejected', clientOrderId: req.spec.clientOrderId, reason: 'insufficient balance', ts: 0 });
  }
}

describe('system errors breaker', () => {
  it('trips at the 3rd venue reject in a row (max_consecutive_errors 3); an accept in between resets the count', async () => {
    let venue: RejectingVenue | undefined;
    const r = await rig(
      { errors: { ...common(), max_consecutive_errors: 3 } },
      { setup: { venue: (clock, market) => (venue = new RejectingVenue({ id: 'BINANCE', clock, marketPrice: () => market.last })) } },
    );
    await r.rest('E1');
    await r.rest('E2');
    venue!.rejecting = false;
    await r.rest('OK1');
    venue!.rejecting = true;
    await r.rest('E3');
    await r.rest('E4');
    expect(r.trips()).toHaveLength(0);
    await r.rest('E5');
    expect(r.trips()).toMatchObject([{ breaker: 'errors', scope: 'ACCOUNT:ACC-1', value: 3, threshold: 3 }]);
  });

  it('counts failed venue calls (VENUE_CALL_FAILED alerts): 2 failures trip max_consecutive_errors 2', async () => {
    const r = await rig(
      { errors: { ...common({ cancel_orders: false }), max_consecutive_errors: 2 } },
      { setup: { venue: (clock) => new FailingVenue({ id: 'BINANCE', clock }, 'reject') } },
    );
    await r.rest('F1');
    expect(r.trips()).toHaveLength(0);
    await r.rest('F2');
    expect(r.alertCodes().filter((c) => c === 'VENUE_CALL_FAILED')).toHaveLength(2);
    expect(r.trips()).toMatchObject([{ breaker: 'errors', value: 2 }]);
  });
});

describe('repeated executions breaker (Knight Capital, FAULTS 11)', () => {
  it('a fill-and-re-enter loop trips at the 10th fill of ETH within 10 s, HALTs, and only an operator re-enables', async () => {
    const r = await rig({ repeated_executions: { ...common({ scope: 'STRATEGY', require_manual_reset: true, auto_reset_after_minutes: 1 }), max_fills: 10, window_seconds: 10 } });
    for (let i = 1; i <= 9; i++) {
      await r.trade(`K${i}`, i % 2 ? 'BUY' : 'SELL', '1');
      r.clock.advance(1000);
    }
    expect(r.trips()).toHaveLength(0);
    await r.trade('K10', 'SELL', '1');
    expect(r.trips()).toMatchObject([{ breaker: 'repeated_executions', scope: 'STRATEGY:s1', value: 10, threshold: 10, action: 'HALT', autoResetAt: undefined }]);
    expect(r.state()).toBe('HALTED');

    await r.tick(24 * 60 * MINUTE); // a day later: still open, no auto-reset
    expect(r.state()).toBe('HALTED');
    const alice = r.engine.authority.issue('alice', ['RISK']);
    await r.control.setTradingState('STRATEGY:s1', 'ACTIVE', { operator: alice, reason: 'resume' });
    expect(r.state()).toBe('HALTED'); // the scope's own state was ACTIVE already: the breaker holds it
    await expect(r.control.resetBreaker('repeated_executions', 'STRATEGY:s1', { identity: 'alice', roles: ['RISK'] })).rejects.toMatchObject({ code: 'NOT_AUTHORIZED' });
    await expect(r.control.resetBreaker('repeated_executions', 'STRATEGY:s1', r.engine.authority.issue('bob', ['TRADE']))).rejects.toMatchObject({ code: 'NOT_AUTHORIZED' });
    expect(r.state()).toBe('HALTED');

    await r.control.resetBreaker('repeated_executions', 'STRATEGY:s1', alice);
    expect(r.resets()).toMatchObject([{ breaker: 'repeated_executions', source: 'OPERATOR', operator: 'alice' }]);
    expect(r.state()).toBe('ACTIVE');
    await r.trade('K11', 'BUY', '1'); // the reset emptied the window: one fill does not re-trip
    expect(r.trips()).toHaveLength(1);
  });

  it('10 fills spread over 12 s never put 10 in a 10 s window', async () => {
    const r = await rig({ repeated_executions: { ...common(), max_fills: 10, window_seconds: 10 } });
    for (let i = 1; i <= 10; i++) {
      await r.trade(`S${i}`, i % 2 ? 'BUY' : 'SELL', '1');
      r.clock.advance(1200);
    }
    expect(r.trips()).toHaveLength(0);
  });
});
