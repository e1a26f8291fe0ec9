import type { Clock } from '../../../engine/clock.ts';
import { ValidationError } from '../../../model/errors.ts';
import { Money } from '../../../model/money.ts';
import { Price, Quantity } from '../../../model/values.ts';
import { createFeeModel, createLatencyModel, createLimitFillModel, createSlippageModel, type FeeModel, type LimitFillModel, type SlippageModel } from '../models/index.ts';
import type { ExchangeFees, ExchangeLatency, ExchangeLimitFill, ExchangeSlippage } from './ports.ts';

/** `{ model: 'fixed_bps', bps: 5 }`: a model name and its parameters, as in a config file. */
export type ModelChoice = { readonly model: string } & Readonly<Record<string, unknown>>;

export interface ExchangeModelConfig {
  readonly slippage?: ModelChoice;
  readonly fees?: ModelChoice;
  readonly latency?: ModelChoice;
  readonly limitFill?: ModelChoice;
}

function split(choice: ModelChoice, family: string): [string, Record<string, unknown>] {
  if (typeof choice !== 'object' || choice === null || typeof choice.model !== 'string') {
    throw new ValidationError('INVALID_FIELD', `${family}.model must name a model`, { field: `${family}.model` });
  }
  const { model, ...params } = choice;
  return [model, params];
}

export function slippagePort(model: SlippageModel): ExchangeSlippage {
  return {
    price: (side, quantity, referencePrice, instrument, barVolume) =>
      model.slip({ instrument, side, quantity, referencePrice, ...(barVolume ? { barVolume } : {}) }).price,
  };
}

const THIRTY_DAYS = 30 * 86_400_000;

/** Fees with the account's rolling 30-day traded notional, for tiered schedules. */
export function feePort(model: FeeModel, clock: Clock): ExchangeFees {
  const trades: { ts: number; currency: string; raw: bigint }[] = [];
  const totals = new Map<string, bigint>();
  return {
    fee: (side, qty, price, liquidity, instrument) => {
      const now = clock.now();
      while (trades.length > 0 && trades[0]!.ts <= now - THIRTY_DAYS) {
        const t = trades.shift()!;
        totals.set(t.currency, (totals.get(t.currency) ?? 0n) - t.raw);
      }
      const c = instrument.settlement;
      const volume30d = Money.fromRaw(totals.get(c.code) ?? 0n, c);
      const fee = model.fee({ instrument, side, qty, price, liquidity, volume30d });
      const n = instrument.notional(qty, price).raw;
      trades.push({ ts: now, currency: c.code, raw: n });
      totals.set(c.code, (totals.get(c.code) ?? 0n) + n);
      return fee;
    },
  };
}

const PROBE_PRICE = Price.fromRaw(100n, 0);
const PROBE_QTY = Quantity.fromRaw(1n, 0);

/** The exchange asks one question of a limit-fill model: does a touch fill? */
export function limitFillPort(model: LimitFillModel): ExchangeLimitFill {
  return {
    fillsAtTouch: () => !model.onPrint({ id: 'touch', side: 'BUY', price: PROBE_PRICE, leavesQty: PROBE_QTY }, { price: PROBE_PRICE }).isZero(),
  };
}

/**
 * Builds the exchange's models from names and parameters (validated by the model library).
 * The queue-position limit-fill model needs per-order queue tracking the exchange does not do
 * yet, so it is refused here rather than silently approximated.
 */
export function exchangeModels(config: ExchangeModelConfig, clock: Clock): {
  slippage?: ExchangeSlippage;
  fees?: ExchangeFees;
  latency?: ExchangeLatency;
  limitFill?: ExchangeLimitFill;
} {
  const out: { slippage?: ExchangeSlippage; fees?: ExchangeFees; latency?: ExchangeLatency; limitFill?: ExchangeLimitFill } = {};
  if (config.slippage) out.slippage = slippagePort(createSlippageModel(...split(config.slippage, 'slippage')));
  if (config.fees) out.fees = feePort(createFeeModel(...split(config.fees, 'fees')), clock);
  if (config.latency) out.latency = createLatencyModel(...split(config.latency, 'latency'));
  if (config.limitFill) {
    const [name, params] = split(config.limitFill, 'limitFill');
    if (name === 'queue_position') {
      throw new ValidationError('INVALID_FIELD', 'limitFill.model queue_position is not supported by the simulated exchange yet; use fill_at_touch or fill_on_trade_through', {
        field: 'limitFill.model',
      });
    }
    out.limitFill = limitFillPort(createLimitFillModel(name, params));
  }
  return out;
}
