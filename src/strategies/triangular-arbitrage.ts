import type { Strategy, StrategyContext, RegisteredStrategy } from '../strategy/strategy.ts';
import type { Bar } from '../model/bar.ts';
import type { Quote } from '../model/quote.ts';
import type { Instrument } from '../model/instrument.ts';
import { parseDecimal } from '../model/decimal.ts';
import { Quantity } from '../model/values.ts';
import { invalidParam, type ParamDoc } from './common.ts';

/** An exact non-negative rational n / d (d > 0). */
export interface Ratio {
  readonly n: bigint;
  readonly d: bigint;
}

const ratio = (digits: bigint, scale: number): Ratio => ({ n: digits, d: 10n ** BigInt(scale) });
const mul = (a: Ratio, b: Ratio): Ratio => ({ n: a.n * b.n, d: a.d * b.d });
const div = (a: Ratio, b: Ratio): Ratio => ({ n: a.n * b.d, d: a.d * b.n });
const dec = (text: string): Ratio => {
  const { digits, scale } = parseDecimal(text);
  return ratio(digits, scale);
};
/** a > b, exactly. */
export const ratioAbove = (a: Ratio, b: Ratio): boolean => a.n * b.d > b.n * a.d;

/** One leg of a loop: the instrument, the side, and the top of book it trades at (decimal text). */
export interface LoopLeg {
  readonly instrument: Instrument;
  readonly side: 'BUY' | 'SELL';
  readonly bid: string;
  readonly ask: string;
}

/**
 * What one unit of the start currency becomes after the loop, exactly, net of taker fees charged
 * in each instrument's quote currency: a BUY at the ask turns x quote into x ÷ (ask × (1 + f)) base;
 * a SELL at the bid turns x base into x × bid × (1 − f) quote.
 */
export function loopProduct(legs: readonly LoopLeg[]): Ratio {
  let p: Ratio = { n: 1n, d: 1n };
  for (const l of legs) {
    const f = ratio(l.instrument.takerFee.digits, l.instrument.takerFee.scale);
    if (l.side === 'BUY') p = div(p, mul(dec(l.ask), { n: f.d + f.n, d: f.d }));
    else p = mul(p, mul(dec(l.bid), { n: f.d - f.n, d: f.d }));
  }
  return p;
}

/** The largest quantity on the instrument's lot grid not above an exact amount. */
export function floorLots(inst: Instrument, x: Ratio): Quantity {
  let raw = (x.n * 10n ** BigInt(inst.sizePrecision)) / x.d;
  raw -= raw % inst.lotSize.raw;
  return Quantity.fromRaw(raw, inst.sizePrecision);
}

/** 1 + bps / 10,000 as an exact ratio (bps: decimal text). */
export function thresholdRatio(bps: string): Ratio {
  const t = dec(bps);
  return { n: t.d * 10_000n + t.n, d: t.d * 10_000n };
}

/** The rule on a loop's product: it trades only when product > 1 + threshold strictly (equality does not). */
export const loopQualifies = (product: Ratio, threshold: Ratio): boolean => ratioAbove(product, threshold);

/** The two loops through three instruments from a currency (as instrument indices and sides); empty when they do not form a triangle. */
export function loopsFrom(start: string, insts: readonly Instrument[]): { order: number[]; sides: ('BUY' | 'SELL')[] }[] {
  const out: { order: number[]; sides: ('BUY' | 'SELL')[] }[] = [];
  for (const order of [[0, 1, 2], [0, 2, 1], [1, 0, 2], [1, 2, 0], [2, 0, 1], [2, 1, 0]]) {
    let cur = start;
    const sides: ('BUY' | 'SELL')[] = [];
    for (const i of order) {
      const inst = insts[i]!;
      if (inst.quote.code === cur && inst.base) {
        sides.push('BUY');
        cur = inst.base.code;
      } else if (inst.base?.code === cur) {
        sides.push('SELL');
        cur = inst.quote.code;
      } else break;
    }
    if (sides.length === 3 && cur === start) out.push({ order, sides });
  }
  return out;
}

export interface TriangularArbitrageParams {
  /** Edge required above 1 after fees, in basis points (decimal text, exact), ≥ 0. Default "5". */
  readonly threshold: string;
  /** Most of the start currency put through one loop (decimal text), > 0. Default "1000". */
  readonly notional: string;
  /** Oldest quote (ms before the newest of the three) a loop may use, ≥ 0. Default 0: all three at the same instant. */
  readonly maxAgeMs: number;
}

export const TRIANGULAR_ARBITRAGE_DEFAULTS: TriangularArbitrageParams = { threshold: '5', notional: '1000', maxAgeMs: 0 };

const NAME = 'triangular-arbitrage';

/**
 * `triangular-arbitrage`: three SPOT instruments of one venue whose currencies form a triangle
 * (e.g. BTC/USDT, ETH/BTC, ETH/USDT), started and ended in the run's currency S (ctx.currency).
 * It trades on quotes (onQuote; bars are ignored: a bar's close is not an executable price, and
 * three closes are not simultaneous). At each quote, once every leg has one and the oldest of the
 * three is at most maxAgeMs older than the newest, each of the two loops from S (loopsFrom) is
 * valued exactly (loopProduct: BUY legs at the ask, SELL legs at the bid, every taker fee
 * deducted, all in bigint rationals from the quotes' decimal text). If a loop's product P satisfies
 * P > 1 + threshold / 10,000 (strictly: at exactly the threshold it does not trade) and no order of
 * this strategy is working, the loop is sent, one leg after the other, each an IOC limit at the
 * quoted price (it takes what is there and never rests):
 * - leg 1 puts A = min(notional, free balance of S) through: a BUY of floor-to-lot(A ÷ (ask (1+f)));
 *   a SELL of floor-to-lot(A);
 * - each next leg converts what the previous one actually filled: after a BUY, its filled quantity
 *   (base); after a SELL, filled × bid × (1 − f) (quote); a BUY of floor-to-lot(amount ÷ (ask (1+f))),
 *   a SELL of floor-to-lot(amount);
 * - a leg that fills nothing, or floors to zero, ends the loop (what is held stays held: lot
 *   rounding leaves small remainders in the middle currencies).
 * The better loop is taken when both qualify. Needs a node whose account holds S and accepts the
 * three instruments (runBacktest needs one settlement currency, which a triangle never has).
 */
export class TriangularArbitrage implements Strategy {
  readonly name: string;
  private readonly quotes = new Map<string, Quote>();
  private readonly threshold: Ratio;
  private readonly notional: Ratio;
  private busy = false;
  /** Loops sent: the product they were sent at (for inspection and tests). */
  readonly sent: { ts: number; order: string[]; product: Ratio }[] = [];

  constructor(
    readonly params: TriangularArbitrageParams = TRIANGULAR_ARBITRAGE_DEFAULTS,
    name = NAME,
  ) {
    const t = decimalParam('threshold', params.threshold);
    if (t.n < 0n) throw invalidParam(NAME, 'threshold', `must be basis points ≥ 0, got ${params.threshold}`);
    this.threshold = thresholdRatio(params.threshold.trim());
    this.notional = decimalParam('notional', params.notional);
    if (this.notional.n <= 0n) throw invalidParam(NAME, 'notional', `must be > 0, got ${params.notional}`);
    if (!(Number.isInteger(params.maxAgeMs) && params.maxAgeMs >= 0)) throw invalidParam(NAME, 'maxAgeMs', `must be a whole number of ms ≥ 0, got ${params.maxAgeMs}`);
    this.name = name;
  }

  onStart(ctx: StrategyContext): void {
    if (ctx.instruments.length !== 3) throw invalidParam(NAME, 'sources', `needs exactly three instruments, got ${ctx.instruments.length}`);
    if (loopsFrom(ctx.currency.code, ctx.instruments).length === 0) throw invalidParam(NAME, 'sources', `${ctx.instruments.map((i) => i.id).join(', ')} do not form a triangle through ${ctx.currency.code}`);
  }

  onBar(_bar: Bar): void {}

  async onQuote(quote: Quote, ctx: StrategyContext): Promise<void> {
    this.quotes.set(quote.instrumentId, quote);
    if (this.busy) return;
    const insts = ctx.instruments;
    const qs = insts.map((i) => this.quotes.get(i.id));
    if (qs.some((q) => q === undefined)) return;
    const times = qs.map((q) => q!.ts);
    if (Math.max(...times) - Math.min(...times) > this.params.maxAgeMs) return;
    if (insts.some((i) => ctx.hasOpenOrders(i.id))) return;
    let best: { legs: LoopLeg[]; product: Ratio } | undefined;
    for (const loop of loopsFrom(ctx.currency.code, insts)) {
      const legs = loop.order.map((i, k) => ({ instrument: insts[i]!, side: loop.sides[k]!, bid: qs[i]!.bid, ask: qs[i]!.ask }));
      const product = loopProduct(legs);
      if (loopQualifies(product, this.threshold) && (!best || ratioAbove(product, best.product))) best = { legs, product };
    }
    if (!best) return;
    this.busy = true;
    try {
      this.sent.push({ ts: quote.ts, order: best.legs.map((l) => l.instrument.id), product: best.product });
      await this.send(best.legs, ctx);
    } finally {
      this.busy = false;
    }
  }

  private async send(legs: readonly LoopLeg[], ctx: StrategyContext): Promise<void> {
    const free = ctx.balance().free;
    const freeR = ratio(free.raw, free.currency.precision);
    let amount: Ratio = ratioAbove(freeR, this.notional) ? this.notional : freeR;
    for (const l of legs) {
      const inst = l.instrument;
      const f = ratio(inst.takerFee.digits, inst.takerFee.scale);
      const px = l.side === 'BUY' ? l.ask : l.bid;
      const qty = l.side === 'BUY' ? floorLots(inst, div(amount, mul(dec(px), { n: f.d + f.n, d: f.d }))) : floorLots(inst, amount);
      if (qty.isZero()) return;
      const r = await ctx.submit({ instrumentId: inst.id, side: l.side, type: 'LIMIT', timeInForce: 'IOC', quantity: qty, price: px });
      const filled = r.clientOrderIds[0] !== undefined ? ctx.order(r.clientOrderIds[0])?.filledQty : undefined;
      if (!filled || filled.isZero()) return;
      const got = dec(filled.toString());
      amount = l.side === 'BUY' ? got : mul(mul(got, dec(px)), { n: f.d - f.n, d: f.d });
    }
  }
}

function decimalParam(field: string, text: string): Ratio {
  if (!/^-?\d+(\.\d+)?$/.test(text.trim())) throw invalidParam(NAME, field, `must be a decimal number, got ${JSON.stringify(text)}`);
  return dec(text.trim());
}

const PARAMS: readonly ParamDoc[] = [
  { name: 'threshold', default: '5', doc: 'edge required above 1 after all taker fees, in basis points (exact decimal), ≥ 0' },
  { name: 'notional', default: '1000', doc: 'most of the start currency put through one loop (exact decimal), > 0' },
  { name: 'maxAgeMs', default: '0', doc: 'oldest quote allowed, in ms behind the newest of the three (0: simultaneous)' },
];

const DESCRIPTION = 'three instruments of one venue forming a currency triangle: when a loop\'s exact product net of taker fees exceeds 1 + threshold, send its three legs as IOC limits at the quotes';

export const triangularArbitrageFactory: RegisteredStrategy = {
  name: NAME,
  family: 'arbitrage',
  description: DESCRIPTION,
  params: PARAMS,
  create(params) {
    const names = PARAMS.map((p) => p.name);
    for (const k of Object.keys(params)) if (!names.includes(k)) throw invalidParam(NAME, k, `is not a parameter (${names.join(', ')})`);
    const maxAge = Number(params['maxAgeMs'] ?? '0');
    return new TriangularArbitrage({ threshold: params['threshold'] ?? '5', notional: params['notional'] ?? '1000', maxAgeMs: maxAge });
  },
};
