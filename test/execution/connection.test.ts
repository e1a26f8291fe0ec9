import { describe, expect, it } from 'vitest';
import { guardConnection } from '../../src/execution/connection-guard.ts';
import { RiskControl } from '../../src/risk/control/risk-control.ts';
import { RiskGate } from '../../src/risk/gate/index.ts';
import { decodeEvent, encodeEvent } from '../../src/journal/codec.ts';
import type { MemoryJournal } from '../../src/engine/journal.ts';
import { executionSetup, GUARD_LIMITS } from './setup.ts';

describe('executor: venue disconnect (FAULTS 22)', () => {
  it('DOWN: VENUE:SIM goes REDUCING (a buy is denied, a reducing sell passes); UP: reconciled, fills lost meanwhile applied, then ACTIVE', async () => {
    const r = await executionSetup({}, { queriesWhileDown: false }, new RiskGate(GUARD_LIMITS));
    guardConnection(r.engine, r.executor);
    r.quote('99.99', '100.01', '100.00');
    await r.submit({ clientOrderId: 'X-1', side: 'BUY', type: 'MARKET', quantity: '2' });
    await r.submit({ clientOrderId: 'X-2', side: 'SELL', type: 'LIMIT', price: '105.00', quantity: '1' });
    await r.settle();
    expect(r.position()).toBe('2.000');

    r.faults.disconnect();
    await r.settle();
    expect(r.engine.risk.stateOf('VENUE:SIM')).toBe('REDUCING');
    expect(r.alerts.map((a) => a.code)).toContain('VENUE_DISCONNECTED');
    const buy = await r.submit({ clientOrderId: 'X-3', side: 'BUY', type: 'LIMIT', price: '99.00', quantity: '1' });
    expect(buy.denied.map((d) => d.code)).toEqual(['TRADING_REDUCING']);
    const sell = await r.submit({ clientOrderId: 'X-4', side: 'SELL', type: 'LIMIT', price: '104.00', quantity: '0.5', reduceOnly: true });
    expect(sell.denied).toEqual([]);
    await r.settle(); // not sent: the connection is down
    expect(r.engine.order('X-4')?.status).toBe('REJECTED');

    // While down, X-2 fills at the venue; its report is lost.
    await r.bar('100.00', '106.00', '100.00', '105.50');
    expect(r.engine.order('X-2')?.status).toBe('UNKNOWN'); // in doubt while its venue is down (FAULTS 22)
    expect(await r.venuePosition()).toBe('1.000');

    r.faults.reconnect();
    await r.settle();
    expect(r.engine.order('X-2')?.status).toBe('FILLED');
    expect(r.position()).toBe('1.000');
    expect(r.engine.risk.stateOf('VENUE:SIM')).toBe('ACTIVE');
    const venueStates = (r.engine.journal as MemoryJournal)
      .all()
      .map((x) => x.event)
      .filter((e) => e.kind === 'TradingStateChanged')
      .map((e) => (e.kind === 'TradingStateChanged' ? `${e.scope} ${e.state} ${e.source}` : ''));
    expect(venueStates).toEqual(['VENUE:SIM REDUCING VENUE', 'VENUE:SIM ACTIVE VENUE']);
    const after = await r.submit({ clientOrderId: 'X-5', side: 'BUY', type: 'LIMIT', price: '99.00', quantity: '1' });
    expect(after.denied).toEqual([]);
  });

  it("an operator's REDUCING on VENUE:SIM outlives a disconnect and a reconnect; only an operator lifts it (issue 11 item 12)", async () => {
    const r = await executionSetup({}, { queriesWhileDown: false }, new RiskGate(GUARD_LIMITS));
    guardConnection(r.engine, r.executor);
    r.quote('99.99', '100.01', '100.00');
    const control = new RiskControl(r.engine);
    const ops = r.engine.authority.issue('ops', ['RISK']);
    await control.setTradingState('VENUE:SIM', 'REDUCING', { operator: ops, reason: 'venue under review' });

    r.faults.disconnect();
    await r.settle();
    r.faults.reconnect();
    await r.settle();
    expect(r.engine.risk.stateOf('VENUE:SIM')).toBe('REDUCING');
    expect(r.engine.risk.sourceOf('VENUE:SIM')).toBe('OPERATOR');
    expect(r.alerts.map((a) => a.code)).not.toContain('CONNECTION_GUARD_FAILED');
    const buy = await r.submit({ clientOrderId: 'Y-1', side: 'BUY', type: 'LIMIT', price: '99.00', quantity: '1' });
    expect(buy.denied.map((d) => d.code)).toEqual(['TRADING_REDUCING']);
    // The guard's own kind of event cannot lift it either: the engine refuses it.
    const t = r.engine.now();
    await expect(
      r.engine.recordRisk([{ kind: 'TradingStateChanged', scope: 'VENUE:SIM', state: 'ACTIVE', source: 'VENUE', reason: 'reconnected', tsEvent: t, tsInit: t }]),
    ).rejects.toMatchObject({ code: 'NOT_AUTHORIZED' });

    await control.setTradingState('VENUE:SIM', 'ACTIVE', { operator: ops, reason: 'review done' });
    expect(r.engine.risk.stateOf('VENUE:SIM')).toBe('ACTIVE');
  });

  it('an operator who sets REDUCING while the venue is down owns it: the reconnect leaves it REDUCING', async () => {
    const r = await executionSetup({}, { queriesWhileDown: false }, new RiskGate(GUARD_LIMITS));
    guardConnection(r.engine, r.executor);
    r.quote('99.99', '100.01', '100.00');
    r.faults.disconnect();
    await r.settle();
    expect(r.engine.risk.sourceOf('VENUE:SIM')).toBe('VENUE');
    await new RiskControl(r.engine).setTradingState('VENUE:SIM', 'REDUCING', { operator: r.engine.authority.issue('ops', ['RISK']), reason: 'keep it' });
    r.faults.reconnect();
    await r.settle();
    expect(r.engine.risk.stateOf('VENUE:SIM')).toBe('REDUCING');
    expect(r.engine.risk.sourceOf('VENUE:SIM')).toBe('OPERATOR');
  });

  it('the venue scope and source survive the journal codec', () => {
    const e = { kind: 'TradingStateChanged', scope: 'VENUE:SIM', state: 'REDUCING', source: 'VENUE', reason: 'down', tsEvent: 1, tsInit: 1 } as const;
    expect(decodeEvent(encodeEvent(e))).toEqual(e);
  });
});
