import { formatRaw, pow10, roundRaw } from '../model/decimal.ts';
import type { AccountId, InstrumentId, PositionId, StrategyId } from '../model/identifiers.ts';
import type { Instrument } from '../model/instrument.ts';
import { Money, MoneyBag, type RawAmount } from '../model/money.ts';
import type { OrderFilled } from '../model/orders/events.ts';
import { Price, Quantity } from '../model/values.ts';

export type PositionSide = 'LONG' | 'SHORT' | 'FLAT';
export type PositionMode = 'NETTING' | 'HEDGING';

/** What one fill did to a position: the parts of a flipping fill are reported separately. */
export interface PositionChange {
  readonly opened: boolean;
  readonly closed: boolean;
  readonly flipped: boolean;
  /** Realized trading PnL of the closing part, before commissions, in settlement minor units. */
  readonly realizedRaw: bigint;
  /** When a round trip ended (close or flip): its realized PnL and settlement-currency commissions. */
  readonly closedCycle: { readonly realizedRaw: bigint; readonly commissionRaw: bigint } | undefined;
}

/** Everything a position holds: what a state snapshot keeps of it (the instrument by id). */
export interface PositionSnapshot {
  readonly id: PositionId;
  readonly accountId: AccountId;
  readonly strategyId: StrategyId;
  readonly instrumentId: InstrumentId;
  readonly signedQtyRaw: bigint;
  readonly costRaw: bigint;
  readonly realizedRaw: bigint;
  readonly commissions: readonly RawAmount[];
  readonly cycleRealizedRaw: bigint;
  readonly cycleCommissionRaw: bigint;
  readonly openedAt: number;
  readonly closedAt: number | undefined;
  readonly fillCount: number;
  readonly lastFillPx: Price | undefined;
  readonly retained: boolean;
}

/**
 * One position. Quantity is signed raw lots; the entry cost is kept exactly, in settlement minor
 * units, so that a weighted-average entry never has to be rounded: a partial close takes its
 * proportional share of the cost (rounded toward zero) and the remainder stays with the
 * position, so over a round trip the realized PnL equals proceeds minus cost to the minor unit.
 */
export class Position {
  signedQtyRaw = 0n;
  /** Entry cost of the open quantity, always >= 0, settlement minor units. */
  costRaw = 0n;
  /** Realized PnL of this position's life, before commissions, settlement minor units. */
  realizedRaw = 0n;
  commissions = new MoneyBag();
  /** Realized and commissions of the current cycle (since it was last flat), for round-trip stats. */
  cycleRealizedRaw = 0n;
  cycleCommissionRaw = 0n;
  openedAt = 0;
  closedAt: number | undefined;
  fillCount = 0;
  lastFillPx: Price | undefined;
  /** Flat and in the portfolio's retention window (so a reopening fill takes it out). */
  retained = false;

  constructor(
    readonly id: PositionId,
    readonly accountId: AccountId,
    readonly strategyId: StrategyId,
    readonly instrument: Instrument,
  ) {}

  toSnapshot(): PositionSnapshot {
    return {
      id: this.id,
      accountId: this.accountId,
      strategyId: this.strategyId,
      instrumentId: this.instrument.id,
      signedQtyRaw: this.signedQtyRaw,
      costRaw: this.costRaw,
      realizedRaw: this.realizedRaw,
      commissions: this.commissions.toSnapshot(),
      cycleRealizedRaw: this.cycleRealizedRaw,
      cycleCommissionRaw: this.cycleCommissionRaw,
      openedAt: this.openedAt,
      closedAt: this.closedAt,
      fillCount: this.fillCount,
      lastFillPx: this.lastFillPx,
      retained: this.retained,
    };
  }

  static fromSnapshot(s: PositionSnapshot, instrument: Instrument): Position {
    if (instrument.id !== s.instrumentId) throw new RangeError(`position ${s.id} is on ${s.instrumentId}, not ${instrument.id}`);
    const p = new Position(s.id, s.accountId, s.strategyId, instrument);
    p.signedQtyRaw = s.signedQtyRaw;
    p.costRaw = s.costRaw;
    p.realizedRaw = s.realizedRaw;
    p.commissions = MoneyBag.fromSnapshot(s.commissions);
    p.cycleRealizedRaw = s.cycleRealizedRaw;
    p.cycleCommissionRaw = s.cycleCommissionRaw;
    p.openedAt = s.openedAt;
    p.closedAt = s.closedAt;
    p.fillCount = s.fillCount;
    p.lastFillPx = s.lastFillPx;
    p.retained = s.retained;
    return p;
  }

  get instrumentId(): InstrumentId {
    return this.instrument.id;
  }
  get side(): PositionSide {
    return this.signedQtyRaw > 0n ? 'LONG' : this.signedQtyRaw < 0n ? 'SHORT' : 'FLAT';
  }
  get isOpen(): boolean {
    return this.signedQtyRaw !== 0n;
  }
  get quantity(): Quantity {
    return Quantity.fromRaw(this.signedQtyRaw < 0n ? -this.signedQtyRaw : this.signedQtyRaw, this.instrument.sizePrecision);
  }
  get realizedPnl(): Money {
    return Money.fromRaw(this.realizedRaw, this.instrument.settlement);
  }
  /** Weighted-average entry price for display; exact cost is `costRaw`. */
  get avgEntryPx(): number | undefined {
    if (this.signedQtyRaw === 0n) return undefined;
    const qty = this.signedQtyRaw < 0n ? -this.signedQtyRaw : this.signedQtyRaw;
    const inst = this.instrument;
    // cost / (qty × multiplier), each at its own scale.
    return (
      (Number(this.costRaw) / 10 ** inst.settlement.precision) /
      ((Number(qty) / 10 ** inst.sizePrecision) * (Number(inst.multiplier.digits) / 10 ** inst.multiplier.scale))
    );
  }
  /** Exact average entry price as text with `extraDigits` more than the tick precision, truncated. */
  avgEntryPxText(extraDigits = 4): string | undefined {
    if (this.signedQtyRaw === 0n) return undefined;
    const inst = this.instrument;
    const qty = this.signedQtyRaw < 0n ? -this.signedQtyRaw : this.signedQtyRaw;
    const scale = inst.pricePrecision + extraDigits;
    // cost(minor) / 10^ccy / (qty/10^size × mult/10^ms) at 10^scale
    const num = this.costRaw * pow10(inst.sizePrecision + inst.multiplier.scale + scale);
    const den = qty * inst.multiplier.digits * pow10(inst.settlement.precision);
    return formatRaw(num / den, scale);
  }

  /**
   * Value of the open quantity at `mark` (signed: short is negative), settlement minor units.
   * Exact for a mark on the tick grid; a finer mark (a mid half a tick away) rounds half-even.
   */
  marketValueRaw(mark: Price): bigint {
    const inst = this.instrument;
    const scale = inst.sizePrecision + mark.precision + inst.multiplier.scale;
    const v = roundRaw(this.signedQtyRaw * mark.raw * inst.multiplier.digits, scale, inst.settlement.precision, 'HALF_EVEN');
    return v;
  }

  /** Unrealized PnL at `mark`, settlement minor units, exact. */
  unrealizedRaw(mark: Price): bigint {
    if (this.signedQtyRaw === 0n) return 0n;
    const mv = this.marketValueRaw(mark);
    return this.signedQtyRaw > 0n ? mv - this.costRaw : mv + this.costRaw;
  }

  /**
   * Applies a fill. A fill larger than the open opposite quantity is split into a close and an
   * open; its commission is pro-rated between the two by quantity (the closing share rounded
   * toward zero, the rest to the opening part).
   */
  applyFill(fill: OrderFilled): PositionChange {
    const inst = this.instrument;
    const fillQty = Quantity.of(fill.lastQty, inst.sizePrecision);
    const fillRaw = fillQty.raw;
    const signed = fill.side === 'BUY' ? fillRaw : -fillRaw;
    const toMinor = pow10(inst.settlement.precision - inst.notionalScale);
    const notional = inst.notionalRaw(fillQty, Price.of(fill.lastPx, inst.pricePrecision)) * toMinor;
    const wasFlat = this.signedQtyRaw === 0n;
    if (wasFlat) {
      this.openedAt = fill.tsEvent;
      this.closedAt = undefined;
      this.cycleRealizedRaw = 0n;
      this.cycleCommissionRaw = 0n;
    }
    this.fillCount++;
    this.lastFillPx = fill.lastPx;
    this.commissions.add(fill.commission);
    const commissionInSettlement = fill.commission.currency.code === inst.settlement.code ? fill.commission.raw : 0n;

    const sameDirection = this.signedQtyRaw === 0n || this.signedQtyRaw > 0n === signed > 0n;
    if (sameDirection) {
      this.signedQtyRaw += signed;
      this.costRaw += notional;
      this.cycleCommissionRaw += commissionInSettlement;
      return { opened: wasFlat, closed: false, flipped: false, realizedRaw: 0n, closedCycle: undefined };
    }

    const openAbs = this.signedQtyRaw < 0n ? -this.signedQtyRaw : this.signedQtyRaw;
    const closeAbs = fillRaw < openAbs ? fillRaw : openAbs;
    const long = this.signedQtyRaw > 0n;
    const allocatedCost = closeAbs === openAbs ? this.costRaw : (this.costRaw * closeAbs) / openAbs;
    const closeNotional = closeAbs === fillRaw ? notional : (notional * closeAbs) / fillRaw;
    const realized = long ? closeNotional - allocatedCost : allocatedCost - closeNotional;
    const closeCommission = closeAbs === fillRaw ? commissionInSettlement : (commissionInSettlement * closeAbs) / fillRaw;
    this.costRaw -= allocatedCost;
    this.signedQtyRaw += long ? -closeAbs : closeAbs;
    this.realizedRaw += realized;
    this.cycleRealizedRaw += realized;
    this.cycleCommissionRaw += closeCommission;

    const remainder = fillRaw - closeAbs;
    const closed = this.signedQtyRaw === 0n;
    const closedCycle = closed ? { realizedRaw: this.cycleRealizedRaw, commissionRaw: this.cycleCommissionRaw } : undefined;
    if (closed) this.closedAt = fill.tsEvent;
    if (remainder === 0n) return { opened: false, closed, flipped: false, realizedRaw: realized, closedCycle };

    // Flip: the rest of the fill opens a position the other way, carrying the rest of the notional and commission.
    this.signedQtyRaw = long ? -remainder : remainder;
    this.costRaw = notional - closeNotional;
    this.openedAt = fill.tsEvent;
    this.closedAt = undefined;
    this.cycleRealizedRaw = 0n;
    this.cycleCommissionRaw = commissionInSettlement - closeCommission;
    return { opened: true, closed: true, flipped: true, realizedRaw: realized, closedCycle };
  }
}
