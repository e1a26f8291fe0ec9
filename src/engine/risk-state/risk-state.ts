import type { AccountId, StrategyId } from '../../model/identifiers.ts';
import type { BreakerAction, RiskEvent, RiskScope, RiskSource, TradingState } from './events.ts';

export interface BreakerStatus {
  readonly breaker: string;
  readonly scope: RiskScope;
  readonly state: 'CLOSED' | 'OPEN';
  readonly action: BreakerAction | undefined;
  readonly trippedAt: number | undefined;
  readonly autoResetAt: number | undefined;
  readonly value: number | undefined;
  readonly threshold: number | undefined;
  readonly message: string | undefined;
}

/** Everything the risk state holds, for a state snapshot. */
export interface RiskStateSnapshot {
  /** Each scope's state and who set it (a snapshot written before sources were kept reads as OPERATOR: only a person lifts it). */
  readonly states: readonly (readonly [RiskScope, TradingState, RiskSource?])[];
  readonly breakers: readonly BreakerStatus[];
  readonly killSwitch: { readonly operator: string; readonly reason: string; readonly since: number } | undefined;
}

const RANK: Record<TradingState, number> = { ACTIVE: 0, REDUCING: 1, HALTED: 2 };
const stricter = (a: TradingState, b: TradingState): TradingState => (RANK[a] >= RANK[b] ? a : b);

/**
 * Trading states, breakers and the kill switch as a fold over journaled risk events. The state an
 * order meets is the strictest of the firm's, its account's, its strategy's and its venue's, of every open
 * breaker's action in those scopes, and HALTED while the kill switch is engaged.
 */
export class RiskState {
  private readonly states = new Map<RiskScope, TradingState>();
  /** Who set each scope's state: a state set by an operator is lifted only by an operator (issue 11 item 12). */
  private readonly setBy = new Map<RiskScope, RiskSource>();
  private readonly breakers = new Map<string, BreakerStatus>();
  #killSwitch: { readonly operator: string; readonly reason: string; readonly since: number } | undefined;

  /** Read-only: only a journaled KillSwitchEngaged/KillSwitchReset changes it. */
  get killSwitch(): { readonly operator: string; readonly reason: string; readonly since: number } | undefined {
    return this.#killSwitch;
  }

  static key(breaker: string, scope: RiskScope): string {
    return `${breaker}@${scope}`;
  }

  toSnapshot(): RiskStateSnapshot {
    return {
      states: [...this.states].map(([scope, state]) => [scope, state, this.setBy.get(scope) ?? 'OPERATOR'] as const),
      breakers: [...this.breakers.values()],
      killSwitch: this.#killSwitch,
    };
  }

  static fromSnapshot(s: RiskStateSnapshot): RiskState {
    const r = new RiskState();
    r.restore(s);
    return r;
  }

  /** Loads a snapshot into this state, which must be empty. */
  restore(s: RiskStateSnapshot): void {
    if (this.states.size > 0 || this.breakers.size > 0 || this.#killSwitch) throw new RangeError('a snapshot loads into an empty risk state only');
    for (const [scope, state, source] of s.states) {
      if (this.states.has(scope) || state === 'ACTIVE') throw new RangeError(`bad trading state snapshot for ${scope}`);
      this.states.set(scope, state);
      this.setBy.set(scope, source ?? 'OPERATOR');
    }
    for (const b of s.breakers) {
      const k = RiskState.key(b.breaker, b.scope);
      if (this.breakers.has(k)) throw new RangeError(`snapshot repeats breaker ${k}`);
      this.breakers.set(k, b);
    }
    this.#killSwitch = s.killSwitch;
  }

  apply(e: RiskEvent): void {
    switch (e.kind) {
      case 'TradingStateChanged':
        if (e.state === 'ACTIVE') {
          this.states.delete(e.scope);
          this.setBy.delete(e.scope);
        } else {
          this.states.set(e.scope, e.state);
          this.setBy.set(e.scope, e.source);
        }
        break;
      case 'BreakerTripped':
        this.breakers.set(RiskState.key(e.breaker, e.scope), {
          breaker: e.breaker,
          scope: e.scope,
          state: 'OPEN',
          action: e.action,
          trippedAt: e.tsEvent,
          autoResetAt: e.autoResetAt,
          value: e.value,
          threshold: e.threshold,
          message: e.message,
        });
        break;
      case 'BreakerReset': {
        const k = RiskState.key(e.breaker, e.scope);
        const b = this.breakers.get(k);
        if (b) this.breakers.set(k, { ...b, state: 'CLOSED', autoResetAt: undefined });
        break;
      }
      case 'KillSwitchEngaged':
        this.#killSwitch = Object.freeze({ operator: e.operator, reason: e.reason, since: e.tsEvent });
        break;
      case 'KillSwitchReset':
        this.#killSwitch = undefined;
        break;
    }
  }

  /** The state set for one scope (ignoring breakers and the kill switch). */
  stateOf(scope: RiskScope): TradingState {
    return this.states.get(scope) ?? 'ACTIVE';
  }

  /** Who set the scope's current state; undefined while it is ACTIVE. */
  sourceOf(scope: RiskScope): RiskSource | undefined {
    return this.setBy.get(scope);
  }

  /** What an order of this account and strategy meets, sent to `venue` when given. */
  effectiveState(accountId: AccountId, strategyId: StrategyId, venue?: string): TradingState {
    if (this.#killSwitch) return 'HALTED';
    // The common case, on the gate's hot path: nothing set and no breaker open, so no scope strings to build.
    if (this.states.size === 0 && !this.anyBreakerActing()) return 'ACTIVE';
    const scopes: RiskScope[] = ['FIRM', `ACCOUNT:${accountId}`, `STRATEGY:${strategyId}`];
    if (venue !== undefined) scopes.push(`VENUE:${venue}`);
    let s: TradingState = 'ACTIVE';
    for (const scope of scopes) s = stricter(s, this.stateOf(scope));
    if (this.breakers.size > 0) {
      for (const b of this.breakers.values()) {
        if (b.state === 'OPEN' && b.action && scopes.includes(b.scope)) s = stricter(s, b.action === 'HALT' ? 'HALTED' : 'REDUCING');
      }
    }
    return s;
  }

  private anyBreakerActing(): boolean {
    for (const b of this.breakers.values()) if (b.state === 'OPEN' && b.action) return true;
    return false;
  }

  breaker(breaker: string, scope: RiskScope): BreakerStatus | undefined {
    return this.breakers.get(RiskState.key(breaker, scope));
  }

  allBreakers(): BreakerStatus[] {
    return [...this.breakers.values()];
  }

  openBreakers(): BreakerStatus[] {
    return this.allBreakers().filter((b) => b.state === 'OPEN');
  }

  /** Every scope with a state other than ACTIVE. */
  scopedStates(): [RiskScope, TradingState][] {
    return [...this.states.entries()];
  }
}
