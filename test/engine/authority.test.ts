/**
 * Issue 11 item 8: who may lift a control. Every command carries an origin; only an operator
 * credential issued by the node's authority lifts the kill switch, resets a breaker by hand or
 * moves a balance, and the engine refuses a journaled risk event its origin may not send.
 */
import { describe, expect, it } from 'vitest';
import { RiskControl } from '../../src/risk/control/risk-control.ts';
import { operatorOrigin, OperatorAuthority, originFromText, originText, RECONCILIATION, RISK_CONTROL, strategyOrigin, SYSTEM } from '../../src/engine/origin.ts';
import { Currencies } from '../../src/model/currency.ts';
import { Money } from '../../src/model/money.ts';
import type { OrderInitialized } from '../../src/model/orders/events.ts';
import { limit, marketBuy, setup, T0 } from './fixtures.ts';

const t = T0;

async function killed() {
  const h = await setup();
  const control = new RiskControl(h.engine);
  const ops = h.engine.authority.issue('ops', ['RISK']);
  await control.engageKillSwitch({ operator: ops, reason: 'runaway' });
  return { ...h, control, ops };
}

describe('the kill switch and breakers: only an issued operator lifts them', () => {
  it('engine.recordRisk([KillSwitchReset]) without an operator origin is refused (NOT_AUTHORIZED); the kill switch stays and the next buy is denied', async () => {
    const h = await killed();
    const before = h.journal.all().length;
    await expect(h.engine.recordRisk([{ kind: 'KillSwitchReset', operator: 'ops', reason: 'let me trade', tsEvent: t, tsInit: t }])).rejects.toMatchObject({
      code: 'NOT_AUTHORIZED',
    });
    await expect(h.engine.recordRisk([{ kind: 'KillSwitchReset', operator: 'ops', reason: 'x', tsEvent: t, tsInit: t }], RISK_CONTROL)).rejects.toMatchObject({ code: 'NOT_AUTHORIZED' });
    await expect(h.engine.recordRisk([{ kind: 'KillSwitchReset', operator: 'ops', reason: 'x', tsEvent: t, tsInit: t }], strategyOrigin('s1'))).rejects.toMatchObject({ code: 'NOT_AUTHORIZED' });
    expect(h.journal.all()).toHaveLength(before);
    expect(h.engine.risk.killSwitch?.operator).toBe('ops');
    expect(h.engine.risk.effectiveState('ACC-1' as never, 's1' as never)).toBe('HALTED');
  });

  it('a look-alike credential, a copy, one from another authority or one without the RISK role cannot reset; the issued RISK operator can', async () => {
    const h = await killed();
    const forged = { identity: 'ops', roles: ['RISK'] } as const;
    const other = new OperatorAuthority().issue('ops', ['RISK']);
    const trader = h.engine.authority.issue('trader', ['TRADE']);
    for (const operator of [forged, { ...h.ops }, other, trader]) {
      await expect(h.control.resetKillSwitch({ operator, reason: 'x' })).rejects.toMatchObject({ code: 'NOT_AUTHORIZED' });
    }
    // Under an operator origin, the event must name that operator: attribution cannot be forged either.
    await expect(
      h.engine.recordRisk([{ kind: 'KillSwitchReset', operator: 'someone-else', reason: 'x', tsEvent: t, tsInit: t }], operatorOrigin(h.ops)),
    ).rejects.toMatchObject({ code: 'NOT_AUTHORIZED' });
    expect(h.engine.risk.killSwitch).toBeDefined();
    expect(Object.isFrozen(h.ops) && Object.isFrozen(h.ops.roles)).toBe(true);

    await h.control.resetKillSwitch({ operator: h.ops, reason: 'fixed' });
    expect(h.engine.risk.killSwitch).toBeUndefined();
    expect((await h.engine.submitOrder(marketBuy('B-1', '0.1'))).denied).toEqual([]);
  });

  it('a manual breaker reset needs a RISK operator; an automatic one comes only from risk control once due (tripped at T0, due at T0 + 5 min)', async () => {
    const h = await setup();
    await h.engine.recordRisk(
      [{ kind: 'BreakerTripped', breaker: 'daily_loss', scope: 'FIRM', value: 4, threshold: 3, action: 'HALT', autoResetAt: t + 300_000, message: 'm', tsEvent: t, tsInit: t }],
      RISK_CONTROL,
    );
    const auto = { kind: 'BreakerReset', breaker: 'daily_loss', scope: 'FIRM', source: 'AUTO', operator: undefined, tsEvent: t + 1, tsInit: t + 1 } as const;
    await expect(h.engine.recordRisk([auto], RISK_CONTROL)).rejects.toMatchObject({ code: 'NOT_AUTHORIZED' }); // not due yet
    await expect(h.engine.recordRisk([{ ...auto, tsEvent: t + 300_000 }])).rejects.toMatchObject({ code: 'NOT_AUTHORIZED' }); // SYSTEM is not risk control
    await expect(h.engine.recordRisk([{ ...auto, source: 'OPERATOR', operator: 'ops' }])).rejects.toMatchObject({ code: 'NOT_AUTHORIZED' });
    expect(h.engine.risk.breaker('daily_loss', 'FIRM')?.state).toBe('OPEN');
    await h.engine.recordRisk([{ ...auto, tsEvent: t + 300_000 }], RISK_CONTROL);
    expect(h.engine.risk.breaker('daily_loss', 'FIRM')?.state).toBe('CLOSED');
  });

  it('a trading state set by an operator is loosened only by an operator; tightening is open to the system', async () => {
    const h = await setup();
    const control = new RiskControl(h.engine);
    const ops = h.engine.authority.issue('ops', ['RISK']);
    await control.setTradingState('STRATEGY:s1', 'HALTED', { operator: ops, reason: 'review' });
    const lift = { kind: 'TradingStateChanged', scope: 'STRATEGY:s1', state: 'ACTIVE', reason: 'resume', tsEvent: t, tsInit: t } as const;
    for (const source of ['BREAKER', 'VENUE', 'KILL_SWITCH', 'STRATEGY', 'OPERATOR'] as const) {
      await expect(h.engine.recordRisk([{ ...lift, source }])).rejects.toMatchObject({ code: 'NOT_AUTHORIZED' });
    }
    expect(h.engine.risk.stateOf('STRATEGY:s1')).toBe('HALTED');
    expect(h.engine.risk.sourceOf('STRATEGY:s1')).toBe('OPERATOR');
    await h.engine.recordRisk([{ ...lift, scope: 'ACCOUNT:ACC-2', state: 'REDUCING', source: 'BREAKER' }]);
    expect(h.engine.risk.stateOf('ACCOUNT:ACC-2')).toBe('REDUCING');
    await control.setTradingState('STRATEGY:s1', 'ACTIVE', { operator: ops, reason: 'resume' });
    expect(h.engine.risk.stateOf('STRATEGY:s1')).toBe('ACTIVE');
  });
});

describe('balances move only by a journaled operator command', () => {
  it('adjustBalance without a TREASURY operator is refused and changes nothing; with one it is journaled naming the operator', async () => {
    const h = await setup();
    const free = () => h.engine.portfolio.account('ACC-2' as never).balance(Currencies.USDT).total.toDecimalString();
    const deposit = Money.of('1000', Currencies.USDT);
    const before = h.journal.all().length;
    for (const by of [undefined, { identity: 'cfo', roles: ['TREASURY'] }, h.engine.authority.issue('ops', ['RISK'])]) {
      await expect(h.engine.adjustBalance('ACC-2', deposit, 'deposit', by as never)).rejects.toMatchObject({ code: 'NOT_AUTHORIZED' });
    }
    expect(h.journal.all()).toHaveLength(before);
    expect(free()).toBe('50000.00000000');
    await h.engine.adjustBalance('ACC-2', deposit, 'deposit', h.engine.authority.issue('cfo', ['TREASURY']));
    expect(free()).toBe('51000.00000000');
    expect(h.journal.all().at(-1)?.event).toMatchObject({ kind: 'BalanceAdjusted', reason: 'deposit (by cfo)' });
  });
});

describe('a strategy origin touches only its own orders', () => {
  it("s2 cannot submit as s1, cancel or modify s1's order, or cancel all of s1's (NOT_OWN_ORDER); s1 can; the origin is journaled", async () => {
    const h = await setup();
    const s1 = strategyOrigin('s1');
    const s2 = strategyOrigin('s2');
    await h.engine.submitOrder(limit('L-1', 'BUY', '0.1', '24000.00'), s1);
    await expect(h.engine.submitOrder(limit('L-2', 'BUY', '0.1', '24000.00'), s2)).rejects.toMatchObject({ code: 'NOT_OWN_ORDER' });
    await expect(h.engine.cancelOrder('L-1', s2)).rejects.toMatchObject({ code: 'NOT_OWN_ORDER' });
    await expect(h.engine.modifyOrder('L-1', { price: '23900.00' }, s2)).rejects.toMatchObject({ code: 'NOT_OWN_ORDER' });
    await expect(h.engine.execute({ kind: 'CancelAllOrders' }, s2)).rejects.toMatchObject({ code: 'NOT_OWN_ORDER' });
    await expect(h.engine.execute({ kind: 'CancelAllOrders', strategyId: 's1' }, s2)).rejects.toMatchObject({ code: 'NOT_OWN_ORDER' });
    expect(h.engine.order('L-1')?.status).toBe('ACCEPTED');
    const init = h.journal.all().find((r) => r.event.kind === 'OrderInitialized' && r.event.clientOrderId === 'L-1')?.event as OrderInitialized;
    expect(init.origin).toBe('STRATEGY:s1');
    await h.engine.cancelOrder('L-1', s1);
    expect(h.engine.order('L-1')?.status).toBe('CANCELED');
  });

  it('an operator origin needs an issued credential with the TRADE role to submit', async () => {
    const h = await setup();
    await expect(h.engine.submitOrder(marketBuy('O-1', '0.1'), { kind: 'OPERATOR', operator: { identity: 'ops', roles: ['TRADE'] } })).rejects.toMatchObject({ code: 'NOT_AUTHORIZED' });
    await expect(h.engine.submitOrder(marketBuy('O-2', '0.1'), operatorOrigin(h.engine.authority.issue('risk', ['RISK'])))).rejects.toMatchObject({ code: 'NOT_AUTHORIZED' });
    const r = await h.engine.submitOrder(marketBuy('O-3', '0.1'), operatorOrigin(h.engine.authority.issue('desk', ['TRADE'])));
    expect(r.denied).toEqual([]);
    expect((h.journal.all().find((x) => x.event.kind === 'OrderInitialized' && x.event.clientOrderId === 'O-3')?.event as OrderInitialized).origin).toBe('OPERATOR:desk');
  });
});

describe('a journaled origin parses back for what is replayed on someone\u2019s behalf', () => {
  it('STRATEGY:s1, RISK_CONTROL, RECONCILIATION and SYSTEM come back; an operator, an empty strategy id, junk and none do not', () => {
    for (const o of [strategyOrigin('s1'), strategyOrigin('a:b'), RISK_CONTROL, RECONCILIATION, SYSTEM]) expect(originFromText(originText(o))).toEqual(o);
    const op = operatorOrigin(new OperatorAuthority().issue('ops-1', ['TRADE']));
    expect([originText(op), 'STRATEGY:', 'strategy:s1', 'OPERATOR', undefined].map(originFromText)).toEqual([undefined, undefined, undefined, undefined, undefined]);
  });
});
