import type { ModifyRequest } from '../../../engine/venue.ts';
import type { Instrument } from '../../../model/instrument.ts';
import type { OrderSpec } from '../../../model/orders/types.ts';
import type { Price } from '../../../model/values.ts';
import { termsOf, type SimAccounts } from './balances.ts';
import { reducibleLots } from './reduce-only.ts';
import { simReject } from './rejects.ts';
import { MAX_BOOK_UNITS, fromTicks, lotsOf, safeUnits, ticksOf, type SimOrder } from './sim-order.ts';

/** An order the exchange takes, in exact ticks and lots; or why it refuses it (a reject reason, rejects.ts). */
export type EntryVerdict =
  | { readonly ok: true; readonly qtyLots: number; readonly priceTicks: number | undefined; readonly triggerTicks: number | undefined }
  | { readonly ok: false; readonly reason: string };

/** What the exchange knows at entry besides the order. */
export interface EntryContext {
  /** Lots of the instrument's orders still open at the exchange (resting, waiting or untriggered). */
  readonly openLots: number;
  /** The price a market order is valued at for the balance check (ask for a buy, bid for a sell, else last). */
  readonly reference: number | undefined;
  /** The account's net position in the instrument, in lots. */
  readonly net: bigint;
  readonly accounts: SimAccounts;
}

/**
 * Checks an order at entry, as a venue would: ticks and lots within the book's exact range (and
 * the market's open lots with it, so no sum in the book can pass 2^53 − 1), a reduce-only MARKET
 * or LIMIT that has a position to reduce (a conditional one is checked when it triggers), and a
 * CASH account that can pay for it. Pure: nothing changes.
 */
export function checkEntry(spec: OrderSpec, inst: Instrument, ctx: EntryContext): EntryVerdict {
  const qtyLots = safeUnits(lotsOf(spec.quantity, inst));
  if (qtyLots === undefined) return refuse('QUANTITY_OUT_OF_RANGE', `${spec.quantity.toString()} is ${lotsOf(spec.quantity, inst)} lots, beyond ${MAX_BOOK_UNITS}`);
  const price = 'price' in spec ? spec.price : undefined;
  const trigger = 'triggerPrice' in spec ? spec.triggerPrice : undefined;
  const priceTicks = price === undefined ? undefined : safeUnits(ticksOf(price, inst));
  const triggerTicks = trigger === undefined ? undefined : safeUnits(ticksOf(trigger, inst));
  if ((price !== undefined && priceTicks === undefined) || (trigger !== undefined && triggerTicks === undefined)) {
    return refuse('PRICE_OUT_OF_RANGE', `${(price ?? trigger)!.toString()} is beyond ${MAX_BOOK_UNITS} ticks`);
  }
  if (qtyLots > MAX_BOOK_UNITS - ctx.openLots) return refuse('QUANTITY_OUT_OF_RANGE', `${qtyLots} lots with ${ctx.openLots} open on the book exceed ${MAX_BOOK_UNITS}`);
  const conditional = spec.type !== 'MARKET' && spec.type !== 'LIMIT';
  if (spec.reduceOnly && !conditional && reducibleLots(spec.side, ctx.net) === 0n) return refuse('REDUCE_ONLY_REJECTED', `no ${spec.side === 'SELL' ? 'long' : 'short'} position to reduce`);
  const holdAt: Price | undefined = price ?? trigger;
  const reference = ctx.reference === undefined ? undefined : fromTicks(ctx.reference, inst);
  const short = ctx.accounts.entryRefusal(spec.accountId, termsOf(spec.side, inst, qtyLots, holdAt), reference);
  if (short !== undefined) return refuse('INSUFFICIENT_BALANCE', short);
  return { ok: true, qtyLots, priceTicks, triggerTicks };
}

/**
 * Checks a modify of a working order as `checkEntry` checks an order: the new quantity (not below
 * what has filled) and prices within the book's exact range, the market's open lots with the
 * change, and the account able to hold what the changed order needs in place of what it holds.
 */
export function checkModify(o: SimOrder, req: ModifyRequest, openLots: number, accounts: SimAccounts): EntryVerdict {
  const inst = o.instrument;
  const qtyLots = req.quantity ? safeUnits(lotsOf(req.quantity, inst)) : o.qtyLots;
  if (qtyLots === undefined) return refuse('QUANTITY_OUT_OF_RANGE', `${req.quantity!.toString()} is beyond ${MAX_BOOK_UNITS} lots`);
  if (qtyLots <= o.filledLots) return { ok: false, reason: 'QUANTITY_BELOW_FILLED' };
  const priceTicks = req.price ? safeUnits(ticksOf(req.price, inst)) : o.priceTicks;
  const triggerTicks = req.triggerPrice ? safeUnits(ticksOf(req.triggerPrice, inst)) : o.triggerTicks;
  if ((req.price && priceTicks === undefined) || (req.triggerPrice && triggerTicks === undefined)) {
    return refuse('PRICE_OUT_OF_RANGE', `${(req.price ?? req.triggerPrice)!.toString()} is beyond ${MAX_BOOK_UNITS} ticks`);
  }
  if (qtyLots - o.qtyLots > MAX_BOOK_UNITS - openLots) return refuse('QUANTITY_OUT_OF_RANGE', `${qtyLots} lots with ${openLots} open on the book exceed ${MAX_BOOK_UNITS}`);
  const at = priceTicks ?? triggerTicks;
  const terms = termsOf(o.spec.side, inst, qtyLots - o.filledLots, at === undefined ? undefined : fromTicks(at, inst));
  const short = accounts.entryRefusal(o.spec.accountId, terms, undefined, o.id);
  if (short !== undefined) return refuse('INSUFFICIENT_BALANCE', short);
  return { ok: true, qtyLots, priceTicks, triggerTicks };
}

function refuse(code: Parameters<typeof simReject>[0], detail: string): EntryVerdict {
  return { ok: false, reason: simReject(code, detail) };
}
