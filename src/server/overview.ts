import type { Currency } from '../model/currency.ts';
import { Money } from '../model/money.ts';
import type { TradingNode } from '../node/trading-node.ts';
import { drawdownSeries, historicalVaR } from '../risk/analytics/index.ts';

export interface EquityPoint {
  readonly ts: number;
  /** Exact decimal text. */
  readonly value: string;
}

export interface Overview {
  readonly currency: string;
  readonly equity: readonly EquityPoint[];
  readonly pnlToday: string;
  readonly exposure: { readonly gross: string; readonly net: string };
  /** Historical 1-period VaR at 95% of the sampled equity curve, in the currency; null with fewer than 20 samples. */
  readonly var: string | null;
  /** Current drawdown from the curve's peak, a ratio (0.05 = 5% under the peak). */
  readonly drawdown: number;
}

const DAY_MS = 86_400_000;

/**
 * Samples the firm's equity (every account, in one reporting currency) into a bounded curve, at
 * most once per `everyMs` of the node's (data) time, from the engine's account and market events.
 * Sampling is O(accounts × positions) and never awaits: it runs on the engine's bus.
 */
export class EquitySampler {
  private readonly points: EquityPoint[] = [];
  private readonly raws: bigint[] = [];
  private lastTs = -Infinity;
  private readonly offs: (() => void)[] = [];

  constructor(
    private readonly node: TradingNode,
    private readonly everyMs = 60_000,
    private readonly capacity = 2_000,
  ) {
    const engine = node.engine;
    this.offs.push(engine.bus.subscribe('account', () => this.sample(false)));
    this.offs.push(engine.bus.subscribe('bar', () => this.sample(false)));
    this.offs.push(engine.bus.subscribe('market', () => this.sample(false)));
  }

  /** The reporting currency: the first account's first balance (else USD-like nothing). */
  currency(): Currency | undefined {
    for (const a of this.node.engine.portfolio.allAccounts()) {
      const b = a.balances()[0];
      if (b) return b.currency;
    }
    return undefined;
  }

  private equityRaw(c: Currency): bigint {
    let raw = 0n;
    const p = this.node.engine.portfolio;
    for (const a of p.allAccounts()) raw += p.equityRaw(a.id, c);
    return raw;
  }

  /** Takes a sample now if `everyMs` has passed (or `force`). */
  sample(force: boolean): void {
    const ts = this.node.engine.now();
    if (!force && ts - this.lastTs < this.everyMs) return;
    const c = this.currency();
    if (!c) return;
    const raw = this.equityRaw(c);
    this.lastTs = ts;
    this.points.push({ ts, value: Money.fromRaw(raw, c).toDecimalString() });
    this.raws.push(raw);
    if (this.points.length > this.capacity) {
      this.points.shift();
      this.raws.shift();
    }
  }

  overview(): Overview {
    this.sample(true);
    const c = this.currency();
    if (!c) return { currency: '', equity: [], pnlToday: '0', exposure: { gross: '0', net: '0' }, var: null, drawdown: 0 };
    const now = this.node.engine.now();
    const dayStart = Math.floor(now / DAY_MS) * DAY_MS;
    const first = this.points.findIndex((p) => p.ts >= dayStart);
    const current = this.raws[this.raws.length - 1]!;
    const base = first >= 0 ? this.raws[first]! : current;
    const exposure = this.node.engine.portfolio.exposure(undefined, c);
    const values = this.raws.map((r) => Number(r));
    const positive = values.length > 0 && values[0]! > 0;
    const dd = positive ? drawdownSeries(values) : [];
    const returns = values.slice(1).map((v, i) => v / values[i]! - 1);
    const scale = 10 ** c.precision;
    const v = positive && returns.length >= 20 ? historicalVaR(returns, { confidence: 0.95, value: values[values.length - 1]! / scale }) : undefined;
    return {
      currency: c.code,
      equity: [...this.points],
      pnlToday: Money.fromRaw(current - base, c).toDecimalString(),
      exposure: { gross: exposure.gross.toDecimalString(), net: exposure.net.toDecimalString() },
      var: v === undefined ? null : v.toFixed(c.precision),
      drawdown: dd.length > 0 ? dd[dd.length - 1]! : 0,
    };
  }

  close(): void {
    for (const off of this.offs) off();
  }
}
