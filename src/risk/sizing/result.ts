/**
 * The value every sizer returns: how much to trade and why, step by step.
 * Money figures are floating point (analytics); the quantity is an exact Quantity on the lot grid.
 */
import type { Instrument } from '../../model/instrument.ts';
import type { Quantity } from '../../model/values.ts';

export type SizingMethod =
  | 'fixed-fractional'
  | 'kelly'
  | 'enhanced-kelly'
  | 'volatility-target'
  | 'inverse-volatility'
  | 'equal-risk-contribution'
  | 'consensus';

/** One step of a sizing computation, in the order it was taken. */
export interface AuditStep {
  step: string;
  value: number | string;
  note: string;
}

/** What a SizingResult serializes to: plain JSON, quantity as exact decimal text. */
export interface SizingResultJSON {
  method: SizingMethod;
  instrument: string;
  riskAmount: number;
  riskPct: number;
  quantity: string;
  notional: number;
  estimatedMargin: number;
  marginUtilization: number;
  audit: AuditStep[];
}

export class SizingResult {
  constructor(
    readonly method: SizingMethod,
    readonly instrument: string,
    /** Money the method budgets to lose (risk sizers) or the risk figure it targets; see each method. */
    readonly riskAmount: number,
    /** riskAmount / balance. */
    readonly riskPct: number,
    /** Exact, on the instrument's lot grid, rounded DOWN; zero means do not trade. */
    readonly quantity: Quantity,
    /** quantity × price × multiplier. */
    readonly notional: number,
    /** notional × the instrument's initial margin rate (1 for unlevered). */
    readonly estimatedMargin: number,
    /** estimatedMargin / balance (0 when the balance is 0). */
    readonly marginUtilization: number,
    readonly audit: readonly AuditStep[],
  ) {
    Object.freeze(this);
  }

  get quantityText(): string {
    return this.quantity.toString();
  }

  toJSON(): SizingResultJSON {
    return {
      method: this.method,
      instrument: this.instrument,
      riskAmount: this.riskAmount,
      riskPct: this.riskPct,
      quantity: this.quantity.toString(),
      notional: this.notional,
      estimatedMargin: this.estimatedMargin,
      marginUtilization: this.marginUtilization,
      audit: this.audit.map((a) => ({ ...a })),
    };
  }
}

/** Collects audit steps. */
export class Audit {
  readonly steps: AuditStep[] = [];

  add(step: string, value: number | string, note: string): number | string {
    this.steps.push({ step, value, note });
    return value;
  }

  /** Records a number and returns it, for inline use in a computation. */
  num(step: string, value: number, note: string): number {
    this.steps.push({ step, value, note });
    return value;
  }
}

export function rateToNumber(r: { digits: bigint; scale: number }): number {
  return Number(r.digits) / 10 ** r.scale;
}

/** Builds a result, appending the notional and margin steps to the audit. */
export function buildResult(
  method: SizingMethod,
  instrument: Instrument,
  balance: number,
  price: number,
  riskAmount: number,
  quantity: Quantity,
  audit: Audit,
  /** The risk % the method decided; otherwise riskAmount ÷ balance (which may be off by an ulp). */
  riskPct?: number,
): SizingResult {
  const notional = audit.num('notional', quantity.toNumber() * price * rateToNumber(instrument.multiplier), 'quantity × price × multiplier');
  const margin = audit.num('estimatedMargin', notional * rateToNumber(instrument.marginInit), `notional × initial margin rate ${rateToNumber(instrument.marginInit)}`);
  const utilization = audit.num('marginUtilization', balance > 0 ? margin / balance : 0, 'estimatedMargin / balance');
  const pct = riskPct ?? (balance > 0 ? riskAmount / balance : 0);
  return new SizingResult(method, instrument.id, riskAmount, pct, quantity, notional, margin, utilization, audit.steps);
}
