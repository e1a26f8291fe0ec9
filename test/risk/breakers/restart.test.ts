import { describe, expect, it } from 'vitest';
import { Engine } from '../../../src/engine/engine.ts';
import { RiskControl } from '../../../src/risk/control/risk-control.ts';
import { Currencies } from '../../../src/model/currency.ts';
import { breakerStatus, createBreakers } from '../../../src/risk/breakers/index.ts';
import type { BreakersConfig } from '../../../src/risk/config/types.ts';
import { defaultVenue } from '../../engine/fixtures.ts';
import { common, MINUTE, rig, withRig, type Rig } from './rig.ts';

const CONFIG: BreakersConfig = {
  daily_loss: { ...common({ require_manual_reset: true }), max_daily_loss_pct: 3 },
  drawdown: { ...common(), max_drawdown_pct: 50 },
  consecutive_losses: { ...common({ scope: 'STRATEGY', auto_reset_after_minutes: 60 }), max_consecutive_losses: 2 },
  order_rate: { ...common({ scope: 'STRATEGY' }), max_orders_per_minute: 100, max_orders_per_hour: 1000 },
  repeated_executions: { ...common({ scope: 'STRATEGY' }), max_fills: 50, window_seconds: 60 },
};

/** A new engine from the same journal, with new breakers and a new RiskControl started on it. */
async function restart(r: Rig): Promise<Rig> {
  const engine = await Engine.fromJournal(r.journal, { clock: r.clock });
  engine.addVenue(defaultVenue(r.clock, r.market));
  const monitors = createBreakers(CONFIG, { currency: Currencies.USDT });
  const control = new RiskControl(engine, monitors);
  await control.start();
  const alerts: Rig['alerts'] = [];
  engine.bus.subscribe('alert', (a) => alerts.push(a));
  return withRig({ engine, clock: r.clock, journal: r.journal, venue: r.venue, alerts, market: r.market }, control, monitors);
}

describe('breakers across a restart (FAULTS 27)', () => {
  it('a restarted engine has the same breaker status, and tripped breakers stay tripped until reset as configured', async () => {
    const r = await rig(CONFIG);
    // Two losing round trips of 100 ETH: 2000 → 1840 and 1840 → 1690 = -31,000 (3.1% of 1,000,000).
    await r.trade('B1', 'BUY', '100');
    r.market.last = '1840.00';
    await r.trade('S1', 'SELL', '100');
    await r.trade('B2', 'BUY', '100');
    r.market.last = '1690.00';
    await r.trade('S2', 'SELL', '100');
    r.clock.advance(5 * MINUTE);
    expect(r.trips().map((t) => `${t.breaker}@${t.scope}`).sort()).toEqual(['consecutive_losses@STRATEGY:s1', 'daily_loss@ACCOUNT:ACC-1']);
    const before = breakerStatus(r.engine, r.monitors);
    expect(before.dailyPnl[0]).toMatchObject({ scope: 'ACCOUNT:ACC-1', pnl: '-31000.00000000', pnlPct: -3.1 });
    expect(before.consecutiveLosses).toEqual([{ scope: 'STRATEGY:s1', count: 2 }]);
    expect(before.breakers.find((b) => b.breaker === 'consecutive_losses')?.msToReset).toBe(55 * MINUTE);

    const again = await restart(r);
    expect(breakerStatus(again.engine, again.monitors)).toEqual(before);
    expect(again.state()).toBe('HALTED');
    expect(again.engine.risk.openBreakers()).toHaveLength(2);

    await again.tick(55 * MINUTE); // the consecutive-loss breaker resets on time; the daily loss waits for a person
    expect(again.resets()).toMatchObject([{ breaker: 'consecutive_losses', source: 'AUTO' }]);
    expect(again.state()).toBe('HALTED');
    await again.control.resetBreaker('daily_loss', 'ACCOUNT:ACC-1', again.engine.authority.issue('ops', ['RISK']));
    expect(again.state()).toBe('ACTIVE');
  });

  it('running windows come back from the journal: 60 orders before a restart and 40 after trip 100 a minute', async () => {
    const r = await rig(CONFIG);
    for (let i = 1; i <= 60; i++) await r.rest(`A${i}`);
    const again = await restart(r);
    for (let i = 1; i <= 39; i++) await again.rest(`B${i}`);
    expect(again.trips()).toHaveLength(0);
    await again.rest('B40');
    expect(again.trips()).toMatchObject([{ breaker: 'order_rate', value: 100 }]);
  });
});

describe('kill switch (FAULTS 26)', () => {
  it('survives a restart and cannot be lifted by a strategy; only a named operator resets it', async () => {
    const r = await rig(CONFIG);
    await r.rest('W1');
    await r.control.engageKillSwitch({ operator: r.engine.authority.issue('ops', ['RISK']), reason: 'runaway' });
    await r.control.idle();
    expect([...r.engine.openOrders()]).toHaveLength(0);
    expect(r.state()).toBe('HALTED');

    const again = await restart(r);
    expect(again.engine.risk.killSwitch).toMatchObject({ operator: 'ops', reason: 'runaway' });
    expect(again.state('ACC-2', 's9')).toBe('HALTED');
    // The credential issued before the restart means nothing to the new process: operators are issued new ones.
    const before = r.engine.authority.issue('ops', ['RISK']);
    const ops = again.engine.authority.issue('ops', ['RISK']);
    await again.control.setTradingState('FIRM', 'HALTED', { operator: ops, reason: 'hold' });
    const forged = { identity: 'ops', roles: ['RISK'] } as const;
    await expect(again.control.setTradingState('FIRM', 'ACTIVE', { operator: forged, reason: 'resume' })).rejects.toMatchObject({ code: 'NOT_AUTHORIZED' });
    await expect(again.control.resetKillSwitch({ operator: forged, reason: 'strategy wants to trade' })).rejects.toMatchObject({ code: 'NOT_AUTHORIZED' });
    await expect(again.control.resetKillSwitch({ operator: before, reason: 'an old credential' })).rejects.toMatchObject({ code: 'NOT_AUTHORIZED' });
    expect(again.engine.risk.killSwitch).toBeDefined();
    await again.control.resetKillSwitch({ operator: ops, reason: 'fixed' });
    await again.control.setTradingState('FIRM', 'ACTIVE', { operator: ops, reason: 'resume' });
    expect(again.state()).toBe('ACTIVE');
  });
});

describe('load (FAULTS 14)', () => {
  it('at twice the peak message rate (200 orders a minute against 100) the breaker trips at the 100th and its alerts go out', async () => {
    const r = await rig({ order_rate: { ...common({ scope: 'STRATEGY', cancel_orders: false }), max_orders_per_minute: 100 } });
    for (let i = 1; i <= 200; i++) {
      await r.rest(`P${i}`);
      r.clock.advance(300); // 200 orders in 60 s
    }
    expect(r.trips()).toHaveLength(1);
    expect(r.trips()[0]).toMatchObject({ breaker: 'order_rate', value: 100 });
    const tripSeq = r.journal.all().find((x) => x.event.kind === 'BreakerTripped')?.seq ?? 0;
    const submittedBefore = r.journal.all().filter((x) => x.seq < tripSeq && x.event.kind === 'OrderSubmitted').length;
    expect(submittedBefore).toBe(100);
    expect(r.state()).toBe('HALTED');
    expect(r.alertCodes().filter((c) => c === 'BREAKER_TRIPPED')).toHaveLength(1);
    expect(r.alertCodes().filter((c) => c === 'BREAKER_NEAR_MISS')).toHaveLength(1);
  });
});
