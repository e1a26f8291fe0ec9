import type { JournalRecord } from '../../engine/events.ts';
import type { Currency } from '../../model/currency.ts';
import type { RiskAction } from '../actions.ts';
import type { BreakerCommon } from '../config/types.ts';
import type { RiskView } from '../../engine/risk-view.ts';
import { Breaker, round } from './breaker.ts';
import { EquityScopes, money, type ScopeEquity } from './equity.ts';

export type LeverageConfig = BreakerCommon & { readonly max_leverage: number };
export type ConcentrationConfig = BreakerCommon & { readonly max_concentration_pct: number };

/** Reported for a scope whose equity is zero or negative while it holds positions. */
export const NO_EQUITY = 1e9;

/** Gross market value of the scope's open positions in its currency, in total and per instrument. */
function exposures(view: RiskView, s: ScopeEquity): { gross: bigint; byInstrument: Map<string, bigint> } {
  const byInstrument = new Map<string, bigint>();
  let gross = 0n;
  for (const p of view.portfolio.openPositions()) {
    if (p.instrument.settlement.code !== s.currency.code || (s.scope !== 'FIRM' && s.scope !== `ACCOUNT:${p.accountId}`)) continue;
    const m = view.portfolio.markFor(p);
    if (!m) continue;
    let v = p.marketValueRaw(m);
    if (v < 0n) v = -v;
    gross += v;
    byInstrument.set(p.instrumentId, (byInstrument.get(p.instrumentId) ?? 0n) + v);
  }
  return { gross, byInstrument };
}

const ratio = (num: bigint, den: bigint): number => (num === 0n ? 0 : den <= 0n ? NO_EQUITY : Number(num) / Number(den));

abstract class ExposureBreaker extends Breaker {
  protected readonly equity: EquityScopes;

  constructor(name: 'leverage' | 'concentration', common: BreakerCommon, currency: Currency | undefined, nearMissPct: number) {
    super(name, common, nearMissPct);
    this.equity = new EquityScopes(currency);
  }

  onRecord(r: JournalRecord, view: RiskView): readonly RiskAction[] {
    const k = r.event.kind;
    return k === 'OrderFilled' || k === 'BalanceAdjusted' || k === 'AccountOpened' ? this.observe(view) : [];
  }
  onMarket(_u: unknown, view: RiskView): readonly RiskAction[] {
    return this.observe(view);
  }
  onBar(_b: unknown, view: RiskView): readonly RiskAction[] {
    return this.observe(view);
  }

  private observe(view: RiskView): RiskAction[] {
    const out: RiskAction[] = [];
    for (const s of this.equity.all(view, this.common.scope)) out.push(...this.measure(view, s, exposures(view, s)));
    return out;
  }

  protected abstract measure(view: RiskView, s: ScopeEquity, x: { gross: bigint; byInstrument: Map<string, bigint> }): RiskAction[];
}

/** Trips when gross exposure / equity reaches max_leverage (FIRM or ACCOUNT; positions at their marks). */
export class LeverageBreaker extends ExposureBreaker {
  constructor(
    readonly config: LeverageConfig,
    currency: Currency | undefined,
    nearMissPct: number,
  ) {
    super('leverage', config, currency, nearMissPct);
  }
  protected measure(view: RiskView, s: ScopeEquity, x: { gross: bigint }): RiskAction[] {
    const lev = ratio(x.gross, s.raw);
    return this.judge(view, s.scope, '', lev, this.config.max_leverage, () => `gross exposure ${money(x.gross, s.currency)} is ${round(lev)}x equity ${money(s.raw, s.currency)} ${s.currency.code}`);
  }
}

/** Trips when one instrument's exposure reaches max_concentration_pct of equity (FIRM or ACCOUNT). */
export class ConcentrationBreaker extends ExposureBreaker {
  constructor(
    readonly config: ConcentrationConfig,
    currency: Currency | undefined,
    nearMissPct: number,
  ) {
    super('concentration', config, currency, nearMissPct);
  }
  protected measure(view: RiskView, s: ScopeEquity, x: { byInstrument: Map<string, bigint> }): RiskAction[] {
    let top: [string, bigint] = ['', 0n];
    for (const e of x.byInstrument) if (e[1] > top[1]) top = e;
    const share = ratio(top[1] * 100n, s.raw);
    return this.judge(view, s.scope, '', share, this.config.max_concentration_pct, () => `${top[0]} is ${round(share)}% of equity ${money(s.raw, s.currency)} ${s.currency.code}`);
  }
}
