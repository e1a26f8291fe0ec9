import type { RegisteredStrategy, Strategy, StrategyContext } from '../strategy/strategy.ts';
import type { Bar } from '../model/bar.ts';
import { parseDecimal, pow10 } from '../model/decimal.ts';
import type { Rate } from '../model/instrument.ts';
import { priceUnits } from './exact.ts';
import { enterLong, exitLong, holdsLong, invalidParam, isFlat, PairedCloses, parseNumericParams, requireFraction, type ParamDoc } from './common.ts';

export interface CrossVenueArbitrageParams {
  /** Extra edge required above the round-trip fees, in basis points, ≥ 0. Default 5. */
  readonly threshold: number;
  /** Share of equity bought on entry, in (0, 1]. Default 0.95. */
  readonly fraction: number;
}

export const CROSS_VENUE_ARBITRAGE_DEFAULTS: CrossVenueArbitrageParams = { threshold: 5, fraction: 0.95 };

const NAME = 'cross-venue-arbitrage';

/**
 * `cross-venue-arbitrage`: two quotes of one asset, A = the run's first data source and B = its
 * second (e.g. BTCUSDT and BTCUSDC bars standing for two venues' prices of BTC), evaluated at each
 * bar time t at which both have a bar. With p_A, p_B the closes at t, fees f_A, f_B the
 * instruments' taker fees (fractions of notional) and cost = f_A + f_B + threshold / 10,000:
 * - flat in both (no position, no working order in either) and p_B / p_A − 1 > cost (A is cheap):
 *   buy floor-to-lot(fraction × equity_t ÷ p_A) of A; symmetrically, p_A / p_B − 1 > cost: buy
 *   floor-to-lot(fraction × equity_t ÷ p_B) of B;
 * - long A and p_A ≥ p_B (the gap has closed or reversed): sell all of A; likewise for B.
 * Exact: the prices are integers on a common price grid (10^-max of the two price precisions),
 * cost is the exact rational of the fee rates and the threshold as the decimal it is written as,
 * and p_B / p_A − 1 > cost is decided as (p_B − p_A) × den > num × p_A. Ties: a gap of exactly the
 * cost does not enter (the entry is strict); prices exactly equal exit.
 *
 * Simplifications from bars, all deliberate:
 * - a bar's close stands in for an executable quote: no bid/ask, no depth, and the two closes are
 *   each venue's last trade of the minute, not simultaneous quotes (a thin market's close can be
 *   stale: minutes without trades repeat the last price);
 * - orders fill at each venue's next open (plus slippage), so the gap seen at t may be gone;
 * - the real arbitrage buys the cheap venue and sells the expensive one at the same time, which
 *   needs inventory or a short on the expensive venue. The runner opens a CASH account and starts
 *   with cash only, so only the cheap leg is bought and later sold when the prices meet: the trade
 *   carries the asset's price risk while it is held, and the round trip actually paid is the
 *   cheap leg's buy and sell (2 × its fee, equal to f_A + f_B when the venues charge the same);
 * - the runner needs one settlement currency, so USDC is taken at par with USDT: on the CLI name
 *   the USDC file as a USDT symbol on another venue (`--data …BTCUSDC….csv@BTCUSDT.USDCBOOK`,
 *   which also gives each quote its own simulated exchange); in code give it a USDT quote.
 */
export class CrossVenueArbitrage implements Strategy {
  readonly name: string;
  private readonly legs = new PairedCloses();
  /** fees + threshold as num / den, exactly. */
  private cost = { num: 0n, den: 1n };
  private precision = 0;
  private precisionA = 0;
  private precisionB = 0;
  private unitsA = 0n;
  private unitsB = 0n;

  constructor(
    readonly params: CrossVenueArbitrageParams = CROSS_VENUE_ARBITRAGE_DEFAULTS,
    name = NAME,
  ) {
    if (!(Number.isFinite(params.threshold) && params.threshold >= 0)) throw invalidParam(NAME, 'threshold', `must be a number of basis points ≥ 0, got ${params.threshold}`);
    requireFraction(NAME, params.fraction);
    this.name = name;
  }

  onStart(ctx: StrategyContext): void {
    this.legs.start(NAME, ctx);
    const a = ctx.instrument(this.legs.a);
    const b = ctx.instrument(this.legs.b);
    const bps = parseDecimal(this.params.threshold); // basis points: 10^-4 more
    this.cost = sumRates([a.takerFee, b.takerFee, { digits: bps.digits, scale: bps.scale + 4 }]);
    this.precisionA = a.pricePrecision;
    this.precisionB = b.pricePrecision;
    this.precision = Math.max(a.pricePrecision, b.pricePrecision);
  }

  onBar(bar: Bar, ctx: StrategyContext): void | Promise<void> {
    const legs = this.legs;
    // Both on the common grid: integers of 10^-precision.
    if (bar.instrumentId === legs.a) this.unitsA = BigInt(priceUnits(bar.close, this.precisionA)) * pow10(this.precision - this.precisionA);
    else if (bar.instrumentId === legs.b) this.unitsB = BigInt(priceUnits(bar.close, this.precisionB)) * pow10(this.precision - this.precisionB);
    if (!legs.update(bar.instrumentId, bar.ts, Number(bar.close))) return;
    const pa = this.unitsA;
    const pb = this.unitsB;
    const { a, b } = legs;
    if (holdsLong(ctx, a)) return pa >= pb ? exitLong(ctx, a) : undefined;
    if (holdsLong(ctx, b)) return pb >= pa ? exitLong(ctx, b) : undefined;
    if (!isFlat(ctx, a) || !isFlat(ctx, b)) return;
    if (this.gapAbove(pb, pa)) return enterLong(ctx, a, this.params.fraction, legs.closeA);
    if (this.gapAbove(pa, pb)) return enterLong(ctx, b, this.params.fraction, legs.closeB);
  }

  /** high / low − 1 > cost, exactly: (high − low) × den > num × low (low > 0). */
  private gapAbove(high: bigint, low: bigint): boolean {
    return low > 0n && (high - low) * this.cost.den > this.cost.num * low;
  }
}

/** Σ rates as num / den exactly, den = 10^(the largest scale). */
function sumRates(rates: readonly Rate[]): { num: bigint; den: bigint } {
  const scale = Math.max(...rates.map((r) => r.scale));
  return { num: rates.reduce((s, r) => s + r.digits * pow10(scale - r.scale), 0n), den: pow10(scale) };
}

const PARAMS: readonly (ParamDoc & { name: keyof CrossVenueArbitrageParams })[] = [
  { name: 'threshold', default: '5', doc: 'edge required above the two venues\' taker fees, in basis points, ≥ 0' },
  { name: 'fraction', default: '0.95', doc: 'share of equity bought on entry, in (0, 1]' },
];

export const crossVenueArbitrageFactory: RegisteredStrategy = {
  name: NAME,
  family: 'arbitrage',
  description: 'two quotes of one asset (data 1 and 2): buy the cheaper when the gap exceeds both taker fees + threshold, sell when the prices meet (long-only, cash account)',
  params: PARAMS,
  create(params) {
    return new CrossVenueArbitrage(parseNumericParams(NAME, PARAMS, params));
  },
};
