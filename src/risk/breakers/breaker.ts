import type { JournalRecord } from '../../engine/events.ts';
import type { RiskAction } from '../actions.ts';
import type { BreakerCommon } from '../config/types.ts';
import type { BreakerKind } from '../config/scopes.ts';
import type { RiskScope } from '../../engine/risk-state/events.ts';
import type { BreakerStatus } from '../../engine/risk-state/risk-state.ts';
import type { RiskView } from '../../engine/risk-view.ts';
import type { RiskMonitor } from './monitor.ts';

const MINUTE = 60_000;

/** The latest value a breaker measured for one scope (and key, e.g. an instrument), for the status view. */
export interface BreakerFigure {
  readonly scope: RiskScope;
  readonly key: string;
  readonly value: number;
  readonly threshold: number;
}

/**
 * The map key of one scope's figure for one key (an instrument, a currency). Scopes hold ids that
 * may contain any printable character, so the scope is length-prefixed: `ACCOUNT:a|b` + `c` and
 * `ACCOUNT:a` + `b|c` stay two figures.
 */
export function figureKey(scope: RiskScope, key: string): string {
  return `${scope.length}:${scope}|${key}`;
}

/**
 * What every breaker shares: the trip decision (value >= threshold trips, once, while the breaker
 * is CLOSED), the near-miss alert (once when a value first reaches `nearMissPct`% of its limit,
 * again only after it falls back below), auto-reset on the timer, and the cooldown that an
 * operator's reset must wait for. Subclasses measure; they never act.
 */
export abstract class Breaker implements RiskMonitor {
  private readonly nearMissed = new Set<string>();
  private readonly latest = new Map<string, BreakerFigure>();

  constructor(
    readonly name: BreakerKind,
    readonly common: BreakerCommon,
    protected readonly nearMissPct: number,
  ) {}

  /** The scope an account's or strategy's activity counts toward, as configured. */
  protected scopeFor(account: string, strategy: string): RiskScope {
    switch (this.common.scope) {
      case 'FIRM':
        return 'FIRM';
      case 'ACCOUNT':
        return `ACCOUNT:${account}`;
      case 'STRATEGY':
        return `STRATEGY:${strategy}`;
    }
  }

  /** The scope a journaled BreakerReset of this breaker lifted, if `record` is one. */
  protected resetScope(record: JournalRecord): RiskScope | undefined {
    const e = record.event;
    return e.kind === 'BreakerReset' && e.breaker === this.name ? e.scope : undefined;
  }

  /** Trips at `value >= threshold`; alerts once at `nearMissPct`% of it. */
  protected judge(view: RiskView, scope: RiskScope, key: string, value: number, threshold: number, describe: () => string): RiskAction[] {
    const k = figureKey(scope, key);
    this.latest.set(k, { scope, key, value, threshold });
    if (value >= threshold) {
      this.nearMissed.add(k);
      if (view.risk.breaker(this.name, scope)?.state === 'OPEN') return [];
      const now = view.now();
      return [
        {
          do: 'trip',
          breaker: this.name,
          scope,
          value,
          threshold,
          action: this.common.action,
          cancelOrders: this.common.cancel_orders,
          flatten: this.common.flatten,
          autoResetAt: this.autoResetAt(now),
          message: describe(),
        },
      ];
    }
    if (value >= (threshold * this.nearMissPct) / 100) {
      if (this.nearMissed.has(k)) return [];
      this.nearMissed.add(k);
      return [
        {
          do: 'alert',
          code: 'BREAKER_NEAR_MISS',
          message: `${this.name} on ${scope} at ${round(value)} of limit ${threshold} (${round((value / threshold) * 100)}%): ${describe()}`,
          context: { breaker: this.name, scope, key, value, threshold },
        },
      ];
    }
    this.nearMissed.delete(k);
    return [];
  }

  /** When a trip at `now` resets by itself: after max(auto_reset_after_minutes, cooldown_minutes); never with require_manual_reset. */
  autoResetAt(now: number): number | undefined {
    const c = this.common;
    if (c.require_manual_reset || c.auto_reset_after_minutes === null) return undefined;
    return now + Math.max(c.auto_reset_after_minutes, c.cooldown_minutes) * MINUTE;
  }

  onTime(now: number, view: RiskView): readonly RiskAction[] {
    const out: RiskAction[] = [];
    for (const b of view.risk.openBreakers()) {
      if (b.breaker !== this.name || b.autoResetAt === undefined || now < b.autoResetAt) continue;
      if (this.resetRefusal(b, now) === undefined) out.push({ do: 'reset', breaker: b.breaker, scope: b.scope });
    }
    return out;
  }

  resetRefusal(b: BreakerStatus, now: number): string | undefined {
    const until = (b.trippedAt ?? 0) + this.common.cooldown_minutes * MINUTE;
    return now < until ? `cooldown of ${this.common.cooldown_minutes} min runs ${Math.ceil((until - now) / 1000)} s more` : undefined;
  }

  /** The latest measurement per scope and key. */
  figures(): BreakerFigure[] {
    return [...this.latest.values()];
  }
}

export function round(x: number, digits = 4): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}
