/**
 * What risk control did during a backtest, for the summary and the report: every breaker trip
 * and reset, and the orders the gate or a breaker denied, counted by denial code. A run that
 * trips a breaker and then denies every order must say so, not end with a flat curve and nothing
 * on the console.
 */
import type { MessageBus } from '../engine/bus.ts';
import type { EngineTopics } from '../engine/topics.ts';
import type { RiskConfig } from '../risk/config/types.ts';

export type BreakerLogEntry =
  | { readonly kind: 'TRIPPED'; readonly time: number; readonly breaker: string; readonly scope: string; readonly value: number; readonly threshold: number; readonly autoResetAt: number | null }
  | { readonly kind: 'RESET'; readonly time: number; readonly breaker: string; readonly scope: string; readonly source: 'OPERATOR' | 'AUTO' };

export class RiskLog {
  readonly breakers: BreakerLogEntry[] = [];
  readonly deniedByCode: Record<string, number> = {};
  trips = 0;
  resets = 0;
  denied = 0;

  /** Listens to the engine's journaled records (breakers) and order events (denials). */
  attach(bus: MessageBus<EngineTopics>): void {
    bus.subscribe('record', (r) => {
      const e = r.event;
      if (e.kind === 'BreakerTripped') {
        this.trips++;
        this.breakers.push({ kind: 'TRIPPED', time: e.tsEvent, breaker: e.breaker, scope: e.scope, value: e.value, threshold: e.threshold, autoResetAt: e.autoResetAt ?? null });
      } else if (e.kind === 'BreakerReset') {
        this.resets++;
        this.breakers.push({ kind: 'RESET', time: e.tsEvent, breaker: e.breaker, scope: e.scope, source: e.source });
      }
    });
    bus.subscribe('order', (e) => {
      if (e.kind !== 'OrderDenied') return;
      this.denied++;
      this.deniedByCode[e.code] = (this.deniedByCode[e.code] ?? 0) + 1;
    });
  }
}

/**
 * The risk config a backtest runs with: without the alert webhook unless `webhooks` is true, so
 * replaying history never posts trips and resets to a live channel (risk.example.yaml reads the
 * URL from WARDEN_WEBHOOK_URL, which a production shell has set).
 */
export function backtestRiskConfig(risk: RiskConfig, webhooks: boolean): RiskConfig {
  if (webhooks || risk.alerts.webhook_url === undefined) return risk;
  return { ...risk, alerts: { near_miss_pct: risk.alerts.near_miss_pct } };
}

/** One line per trip or reset: time, breaker, scope, and value / threshold or how it reset. */
export function breakerLine(b: BreakerLogEntry): string {
  const t = new Date(b.time).toISOString();
  if (b.kind === 'RESET') return `${t}  RESET    ${b.breaker} on ${b.scope} (${b.source === 'AUTO' ? 'automatic' : 'operator'})`;
  const until = b.autoResetAt === null ? 'manual reset only' : `auto reset at ${new Date(b.autoResetAt).toISOString()}`;
  return `${t}  TRIPPED  ${b.breaker} on ${b.scope}: ${figure(b.value)} ≥ ${figure(b.threshold)} (${until})`;
}

const figure = (x: number): string => String(+x.toPrecision(6));

/** `12 (RISK_HALTED × 10, MAX_ORDER_QUANTITY × 2)`, codes most frequent first. */
export function deniedText(total: number, byCode: Readonly<Record<string, number>>): string {
  const parts = Object.entries(byCode)
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .map(([code, n]) => `${code} × ${n}`);
  return parts.length === 0 ? String(total) : `${total} (${parts.join(', ')})`;
}
