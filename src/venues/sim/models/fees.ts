import type { Currency } from '../../../model/currency.ts';
import { pow10 } from '../../../model/decimal.ts';
import type { Instrument, Rate } from '../../../model/instrument.ts';
import { Money } from '../../../model/money.ts';
import type { LiquiditySide, OrderSide } from '../../../model/orders/types.ts';
import { cmpScaled, type Price, type Quantity } from '../../../model/values.ts';
import { ConfigReader, invalidField, type DecimalInput, type ModelConfig } from './config.ts';

export interface FeeContext {
  readonly instrument: Instrument;
  readonly side: OrderSide;
  readonly qty: Quantity;
  readonly price: Price;
  readonly liquidity: LiquiditySide;
  /** Trading volume of the last 30 days, for tiered schedules. */
  readonly volume30d?: Money;
}

/** One small interface. Fees are exact: computed on bigint raw values, rounded once, half-up, to the minor unit. */
export interface FeeModel {
  fee(ctx: FeeContext): Money;
}

/** QUOTE: the notional's currency (the instrument's settlement currency); BASE: the base currency. */
export type FeeCurrency = 'QUOTE' | 'BASE';
const FEE_CURRENCIES: readonly FeeCurrency[] = ['QUOTE', 'BASE'];

/**
 * `rate` × the fill, rounded half-up once. QUOTE: notional × rate (as Instrument.fee). BASE:
 * quantity × multiplier × rate in base units (what a venue deducts from the bought coins).
 * Negative rates are rebates.
 */
export function feeAtRate(ctx: FeeContext, rate: Rate, currency: FeeCurrency): Money {
  const ins = ctx.instrument;
  const q = ins.quantity(ctx.qty, 'qty');
  if (currency === 'QUOTE') {
    const n = ins.notionalRaw(q, ins.price(ctx.price, 'price'));
    return Money.rounded((n < 0n ? -n : n) * rate.digits, ins.notionalScale + rate.scale, ins.settlement, 'HALF_UP');
  }
  const base = baseOf(ins);
  const m = ins.multiplier;
  return Money.rounded(q.raw * m.digits * rate.digits, ins.sizePrecision + m.scale + rate.scale, base, 'HALF_UP');
}

function baseOf(ins: Instrument): Currency {
  if (!ins.base) throw invalidField('fee_currency', `BASE fees need a base currency; ${ins.id} has none`, { instrument: ins.id });
  return ins.base;
}

function currencyOf(ins: Instrument, c: FeeCurrency): Currency {
  return c === 'QUOTE' ? ins.settlement : baseOf(ins);
}

/** `none`: every fill is free. */
export class NoFee implements FeeModel {
  static fromConfig(config?: ModelConfig): NoFee {
    new ConfigReader(config).done();
    return new NoFee();
  }
  fee(ctx: FeeContext): Money {
    return Money.zero(ctx.instrument.settlement);
  }
}

export interface MakerTakerConfig {
  /** Fractions of notional, e.g. "0.001" for 0.1 %; negative for rebates. Default: the instrument's rates. */
  readonly maker?: DecimalInput;
  readonly taker?: DecimalInput;
  readonly fee_currency?: FeeCurrency;
}

/** `maker_taker`: a percentage of the fill by liquidity side. */
export class MakerTakerFee implements FeeModel {
  constructor(
    readonly maker: Rate | undefined,
    readonly taker: Rate | undefined,
    readonly currency: FeeCurrency = 'QUOTE',
  ) {}
  static fromConfig(config?: ModelConfig): MakerTakerFee {
    const r = new ConfigReader(config);
    const m = new MakerTakerFee(r.optionalDecimal('maker'), r.optionalDecimal('taker'), r.oneOf('fee_currency', FEE_CURRENCIES, 'QUOTE'));
    r.done();
    return m;
  }
  fee(ctx: FeeContext): Money {
    const ins = ctx.instrument;
    const rate = ctx.liquidity === 'MAKER' ? (this.maker ?? ins.makerFee) : (this.taker ?? ins.takerFee);
    return feeAtRate(ctx, rate, this.currency);
  }
}

export interface FeeTier {
  /** 30-day volume from which this tier applies (inclusive), in the volume's currency. */
  readonly minVolume: Rate;
  readonly maker: Rate;
  readonly taker: Rate;
}

export interface TieredConfig {
  /** Ascending by min_volume; the first must start at 0. */
  readonly tiers: readonly { readonly min_volume: DecimalInput; readonly maker: DecimalInput; readonly taker: DecimalInput }[];
  readonly fee_currency?: FeeCurrency;
}

/** `tiered`: maker/taker rates chosen by 30-day volume; a volume exactly at a boundary gets the higher tier. No volume: the first tier. */
export class TieredFee implements FeeModel {
  constructor(
    readonly tiers: readonly FeeTier[],
    readonly currency: FeeCurrency = 'QUOTE',
  ) {
    const first = tiers[0];
    if (!first) throw invalidField('tiers', 'needs at least one tier');
    if (first.minVolume.digits !== 0n) throw invalidField('tiers[0].min_volume', 'the first tier must start at 0');
    tiers.forEach((t, i) => {
      const prev = tiers[i - 1];
      if (prev && cmpScaled(t.minVolume.digits, t.minVolume.scale, prev.minVolume.digits, prev.minVolume.scale) <= 0) {
        throw invalidField(`tiers[${i}].min_volume`, 'tiers must be in strictly ascending min_volume');
      }
    });
  }
  static fromConfig(config?: ModelConfig): TieredFee {
    const r = new ConfigReader(config);
    const tiers = r.array('tiers').map((t, i) => {
      const tr = new ConfigReader(t, `tiers[${i}]`);
      const tier = { minVolume: tr.decimal('min_volume', { nonNegative: true }), maker: tr.decimal('maker'), taker: tr.decimal('taker') };
      tr.done();
      return tier;
    });
    const m = new TieredFee(tiers, r.oneOf('fee_currency', FEE_CURRENCIES, 'QUOTE'));
    r.done();
    return m;
  }
  /** The tier for a 30-day volume. */
  tierFor(volume30d: Money | undefined): FeeTier {
    let chosen = this.tiers[0] as FeeTier;
    if (!volume30d) return chosen;
    for (const t of this.tiers) {
      if (cmpScaled(volume30d.raw, volume30d.currency.precision, t.minVolume.digits, t.minVolume.scale) >= 0) chosen = t;
    }
    return chosen;
  }
  fee(ctx: FeeContext): Money {
    const t = this.tierFor(ctx.volume30d);
    return feeAtRate(ctx, ctx.liquidity === 'MAKER' ? t.maker : t.taker, this.currency);
  }
}

export interface PerShareConfig {
  /** Amount per unit of quantity, e.g. "0.005" USD per share. */
  readonly per_share: DecimalInput;
  /** Minimum per order, e.g. "1" (default 0). */
  readonly min?: DecimalInput;
  /** Maximum per order as a percentage of notional, e.g. "1" for 1 % (default: no maximum). */
  readonly max_pct?: DecimalInput;
}

/**
 * `per_share` (IBKR-style): qty × per_share, raised to `min`, then capped at `max_pct` % of the
 * notional (the cap wins over the minimum on small orders), rounded half-up once. The limits
 * apply per call: the exchange calls it once per order fill it charges.
 */
export class PerShareFee implements FeeModel {
  constructor(
    readonly perShare: Rate,
    readonly min: Rate,
    readonly maxPct: Rate | undefined,
  ) {}
  static fromConfig(config?: ModelConfig): PerShareFee {
    const r = new ConfigReader(config);
    const m = new PerShareFee(
      r.decimal('per_share', { nonNegative: true }),
      r.decimal('min', { nonNegative: true, default: 0 }),
      r.optionalDecimal('max_pct', { nonNegative: true }),
    );
    r.done();
    return m;
  }
  fee(ctx: FeeContext): Money {
    const ins = ctx.instrument;
    const q = ins.quantity(ctx.qty, 'qty');
    const n = ins.notionalRaw(q, ins.price(ctx.price, 'price'));
    const absN = n < 0n ? -n : n;
    const perScale = ins.sizePrecision + this.perShare.scale;
    const maxScale = ins.notionalScale + (this.maxPct?.scale ?? 0) + 2;
    const s = Math.max(perScale, this.min.scale, maxScale);
    let raw = q.raw * this.perShare.digits * pow10(s - perScale);
    const min = this.min.digits * pow10(s - this.min.scale);
    if (raw < min) raw = min;
    if (this.maxPct) {
      const max = absN * this.maxPct.digits * pow10(s - maxScale);
      if (raw > max) raw = max;
    }
    return Money.rounded(raw, s, ins.settlement, 'HALF_UP');
  }
}

export interface FixedFeeConfig {
  /** Amount per order, exact in the fee currency's minor units, e.g. "1.50". */
  readonly amount: DecimalInput;
  readonly fee_currency?: FeeCurrency;
}

/** `fixed`: the same amount on every call. */
export class FixedFee implements FeeModel {
  constructor(
    readonly amount: Rate,
    readonly currency: FeeCurrency = 'QUOTE',
  ) {}
  static fromConfig(config?: ModelConfig): FixedFee {
    const r = new ConfigReader(config);
    const m = new FixedFee(r.decimal('amount', { nonNegative: true }), r.oneOf('fee_currency', FEE_CURRENCIES, 'QUOTE'));
    r.done();
    return m;
  }
  fee(ctx: FeeContext): Money {
    const c = currencyOf(ctx.instrument, this.currency);
    if (this.amount.scale > c.precision) {
      throw invalidField('amount', `has ${this.amount.scale} decimals, ${c.code} has ${c.precision}`, { currency: c.code });
    }
    return Money.fromScaled(this.amount.digits, this.amount.scale, c);
  }
}
