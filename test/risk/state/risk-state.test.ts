import { describe, expect, it } from 'vitest';
import { accountId, strategyId } from '../../../src/model/identifiers.ts';
import type { RiskEvent } from '../../../src/engine/risk-state/events.ts';
import { RiskState } from '../../../src/engine/risk-state/risk-state.ts';

const A = accountId('ACC-1');
const S = strategyId('s1');
const t = { tsEvent: 1, tsInit: 1 };

function fold(events: RiskEvent[]): RiskState {
  const r = new RiskState();
  for (const e of events) r.apply(e);
  return r;
}

describe('RiskState', () => {
  it('is ACTIVE with no events', () => {
    expect(new RiskState().effectiveState(A, S)).toBe('ACTIVE');
  });

  it('takes the strictest of firm, account and strategy: firm REDUCING + strategy HALTED → HALTED; other strategies REDUCING', () => {
    const r = fold([
      { kind: 'TradingStateChanged', scope: 'FIRM', state: 'REDUCING', source: 'OPERATOR', reason: 'x', ...t },
      { kind: 'TradingStateChanged', scope: 'STRATEGY:s1', state: 'HALTED', source: 'BREAKER', reason: 'y', ...t },
    ]);
    expect(r.effectiveState(A, S)).toBe('HALTED');
    expect(r.effectiveState(A, strategyId('s2'))).toBe('REDUCING');
  });

  it('an open HALT breaker on the account halts it; its reset lifts it', () => {
    const trip: RiskEvent = { kind: 'BreakerTripped', breaker: 'daily_loss', scope: 'ACCOUNT:ACC-1', value: 3.2, threshold: 3, action: 'HALT', autoResetAt: undefined, message: 'm', ...t };
    expect(fold([trip]).effectiveState(A, S)).toBe('HALTED');
    expect(fold([trip]).effectiveState(accountId('ACC-2'), S)).toBe('ACTIVE');
    const reset: RiskEvent = { kind: 'BreakerReset', breaker: 'daily_loss', scope: 'ACCOUNT:ACC-1', source: 'OPERATOR', operator: 'ops', ...t };
    const r = fold([trip, reset]);
    expect(r.effectiveState(A, S)).toBe('ACTIVE');
    expect(r.breaker('daily_loss', 'ACCOUNT:ACC-1')?.state).toBe('CLOSED');
  });

  it('a REDUCE breaker makes it REDUCING', () => {
    const r = fold([{ kind: 'BreakerTripped', breaker: 'leverage', scope: 'FIRM', value: 6, threshold: 5, action: 'REDUCE', autoResetAt: 10, message: 'm', ...t }]);
    expect(r.effectiveState(A, S)).toBe('REDUCING');
    expect(r.openBreakers().map((b) => b.breaker)).toEqual(['leverage']);
  });

  it('the kill switch halts everything until it is reset', () => {
    const on: RiskEvent = { kind: 'KillSwitchEngaged', operator: 'ops', reason: 'runaway', flatten: false, ...t };
    expect(fold([on]).effectiveState(A, S)).toBe('HALTED');
    expect(fold([on, { kind: 'TradingStateChanged', scope: 'FIRM', state: 'ACTIVE', source: 'OPERATOR', reason: 'z', ...t }]).effectiveState(A, S)).toBe('HALTED');
    expect(fold([on, { kind: 'KillSwitchReset', operator: 'ops', reason: 'ok', ...t }]).effectiveState(A, S)).toBe('ACTIVE');
  });
});
