import type { Currency } from '../../model/currency.ts';
import { parseDecimal, pow10 } from '../../model/decimal.ts';
import type { Instrument } from '../../model/instrument.ts';
import type { InstrumentLimits, LimitsConfig } from '../config/types.ts';

/**
 * The configured limits turned, once per instrument / account / currency, into exact integers the
 * checks compare without parsing or allocating: quantities in raw lots of the instrument's size
 * precision, money in minor units of the settlement currency. A limit is floored onto that grid,
 * which is exact for "at most" comparisons of values that live on the grid.
 */
export interface InstrumentRules {
  readonly instrument: Instrument;
  readonly restricted: boolean;
  /** The required limits that are missing (fail closed), or undefined. */
  readonly missing: string | undefined;
  readonly maxOrderQty: bigint;
  readonly maxOrderNotional: bigint;
  readonly maxPositionQty: bigint;
  readonly maxPositionNotional: bigint;
  /** The collar in millionths of a percent (5% = 5,000,000). */
  readonly collarMicroPct: bigint;
  readonly collarPct: number;
  /** The tick collar in doubled raw price units (see reference.ts), or -1n when not set. */
  readonly collarTicks2: bigint;
  readonly collarTicks: number | undefined;
  readonly maxOpenOrders: number | undefined;
  /** notional raw (notionalScale) → settlement minor units. */
  readonly toMinor: bigint;
  readonly multiplier: bigint;
  /** Raw lots → base-currency minor units (spot cash sells). */
  readonly toBase: bigint;
}

export interface AccountRules {
  readonly maxLeverage: number | undefined;
  readonly maxConcentrationPct: number | undefined;
  readonly maxOpenOrders: number | undefined;
  /** The limits as the exposure checks compare them, made once (no bigint built per order): doubled minor units, and millionths. */
  readonly maxGross2: bigint | undefined;
  readonly maxNet2: bigint | undefined;
  readonly leverageMicro: bigint | undefined;
  readonly concentrationMicro: bigint | undefined;
}

export interface FirmRules {
  /** Doubled minor units, as the exposure checks compare them. */
  readonly maxGross2: bigint | undefined;
  readonly maxNet2: bigint | undefined;
}

/** An exposure limit as doubled minor units at `precision`, floored (see floorRaw); undefined when not set. */
const limit2 = (text: string | undefined, precision: number, field: string): bigint | undefined => (text === undefined ? undefined : 2n * floorRaw(text, precision, field));
const millionths = (x: number | undefined): bigint | undefined => (x === undefined ? undefined : BigInt(Math.round(x * 1_000_000)));

/** Decimal text as raw units at `precision`, floored: x ≤ limit ⇔ x ≤ floor(limit) for x on the grid. */
export function floorRaw(text: string, precision: number, field: string): bigint {
  const { digits, scale } = parseDecimal(text, field);
  if (scale <= precision) return digits * pow10(precision - scale);
  const d = pow10(scale - precision);
  const q = digits / d;
  return digits < 0n && q * d !== digits ? q - 1n : q;
}

const NO_ACCOUNT_LIMITS: AccountRules = Object.freeze({
  maxLeverage: undefined,
  maxConcentrationPct: undefined,
  maxOpenOrders: undefined,
  maxGross2: undefined,
  maxNet2: undefined,
  leverageMicro: undefined,
  concentrationMicro: undefined,
});

export class CompiledLimits {
  private readonly instruments = new Map<string, InstrumentRules>();
  private readonly accounts = new Map<string, Map<string, AccountRules>>();
  private readonly firm = new Map<string, FirmRules>();
  private readonly restricted: ReadonlySet<string>;

  constructor(readonly config: LimitsConfig) {
    this.restricted = new Set(config.restricted_instruments);
  }

  forInstrument(inst: Instrument): InstrumentRules {
    let r = this.instruments.get(inst.id);
    // Another definition of the instrument (the venue changed its grid: FAULTS 35) compiles anew: the tick collar depends on it.
    if (r === undefined || r.instrument !== inst) {
      r = this.compileInstrument(inst);
      this.instruments.set(inst.id, r);
    }
    return r;
  }

  forAccount(accountId: string, c: Currency): AccountRules {
    let byCcy = this.accounts.get(accountId);
    if (byCcy === undefined) this.accounts.set(accountId, (byCcy = new Map<string, AccountRules>()));
    let r = byCcy.get(c.code);
    if (r === undefined) {
      const a = this.config.accounts[accountId];
      if (a) {
        r = {
          maxLeverage: a.max_leverage,
          maxConcentrationPct: a.max_concentration_pct,
          maxOpenOrders: a.max_open_orders,
          maxGross2: limit2(a.max_gross_exposure, c.precision, 'max_gross_exposure'),
          maxNet2: limit2(a.max_net_exposure, c.precision, 'max_net_exposure'),
          leverageMicro: millionths(a.max_leverage),
          concentrationMicro: millionths(a.max_concentration_pct),
        };
      } else r = NO_ACCOUNT_LIMITS;
      byCcy.set(c.code, r);
    }
    return r;
  }

  forFirm(c: Currency): FirmRules {
    let r = this.firm.get(c.code);
    if (r === undefined) {
      const f = this.config.firm;
      r = { maxGross2: limit2(f.max_gross_exposure, c.precision, 'firm.max_gross_exposure'), maxNet2: limit2(f.max_net_exposure, c.precision, 'firm.max_net_exposure') };
      this.firm.set(c.code, r);
    }
    return r;
  }

  private compileInstrument(inst: Instrument): InstrumentRules {
    const own: InstrumentLimits | undefined = this.config.instruments[inst.id];
    const dflt = this.config.default;
    const pick = <K extends keyof InstrumentLimits>(k: K): InstrumentLimits[K] => (own?.[k] !== undefined ? own[k] : dflt?.[k]);
    const maxOrderQty = pick('max_order_quantity');
    const maxOrderNotional = pick('max_order_notional');
    const maxPositionQty = pick('max_position_quantity');
    const maxPositionNotional = pick('max_position_notional');
    const missing: string[] = [];
    if (maxOrderQty === undefined) missing.push('max_order_quantity');
    if (maxOrderNotional === undefined) missing.push('max_order_notional');
    if (maxPositionQty === undefined) missing.push('max_position_quantity');
    if (maxPositionNotional === undefined) missing.push('max_position_notional');
    const c = inst.settlement;
    const collarPct = pick('price_collar_pct') ?? this.config.price_collar_pct;
    const collarTicks = pick('price_collar_ticks');
    return {
      instrument: inst,
      restricted: this.restricted.has(inst.id),
      missing: missing.length > 0 ? missing.join(', ') : undefined,
      maxOrderQty: maxOrderQty === undefined ? 0n : floorRaw(maxOrderQty, inst.sizePrecision, 'max_order_quantity'),
      maxOrderNotional: maxOrderNotional === undefined ? 0n : floorRaw(maxOrderNotional, c.precision, 'max_order_notional'),
      maxPositionQty: maxPositionQty === undefined ? 0n : floorRaw(maxPositionQty, inst.sizePrecision, 'max_position_quantity'),
      maxPositionNotional: maxPositionNotional === undefined ? 0n : floorRaw(maxPositionNotional, c.precision, 'max_position_notional'),
      collarPct,
      collarMicroPct: millionths(collarPct)!,
      collarTicks,
      collarTicks2: collarTicks === undefined ? -1n : 2n * BigInt(Math.floor(collarTicks)) * inst.tickSize.raw,
      maxOpenOrders: pick('max_open_orders'),
      toMinor: pow10(c.precision - inst.notionalScale),
      multiplier: inst.multiplier.digits,
      toBase: inst.base ? pow10(Math.max(0, inst.base.precision - inst.sizePrecision)) : 1n,
    };
  }
}
