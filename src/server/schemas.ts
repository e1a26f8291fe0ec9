import { z } from 'zod';
import { ORDER_SIDES, ORDER_TYPES, TIME_IN_FORCE, TRAILING_OFFSET_TYPES, TRIGGER_TYPES } from '../model/orders/types.ts';

/** Exact decimals: text ("0.01") or a JSON number (read through its shortest text). */
export const decimal = z.union([z.string().regex(/^-?\d+(\.\d+)?$/, { error: 'must be a decimal number such as "0.01"' }), z.number().finite()]);
const id = z.string().min(1).max(96).regex(/^\S+$/, { error: 'must be an identifier without white space' });

/** One order as the API takes it (POST /api/orders, /api/orders/check, the legs of a list). */
export const orderBody = z.strictObject({
  instrumentId: id,
  side: z.enum(ORDER_SIDES),
  type: z.enum(ORDER_TYPES),
  quantity: decimal,
  price: decimal.optional(),
  triggerPrice: decimal.optional(),
  triggerType: z.enum(TRIGGER_TYPES).optional(),
  timeInForce: z.enum(TIME_IN_FORCE).optional(),
  expireTime: z.number().int().optional(),
  postOnly: z.boolean().optional(),
  reduceOnly: z.boolean().optional(),
  /** Pre-market and after-hours trading for this order, on a venue with a calendar and `extended_hours: true`. */
  extendedHours: z.boolean().optional(),
  displayQuantity: decimal.optional(),
  trailingOffset: decimal.optional(),
  trailingOffsetType: z.enum(TRAILING_OFFSET_TYPES).optional(),
  limitOffset: decimal.optional(),
  activationPrice: decimal.optional(),
  /** Default: the configured account on the instrument's venue. */
  accountId: id.optional(),
  /** Default: generated (`op-…`). */
  clientOrderId: id.optional(),
  tags: z.array(z.string().min(1).max(64)).max(16).optional(),
});
export type OrderBody = z.infer<typeof orderBody>;

export const modifyBody = z
  .strictObject({ quantity: decimal.optional(), price: decimal.optional(), triggerPrice: decimal.optional() })
  .refine((b) => b.quantity !== undefined || b.price !== undefined || b.triggerPrice !== undefined, { error: 'give at least one of quantity, price, triggerPrice' });

export const orderListBody = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('bracket'), entry: orderBody, takeProfitPrice: decimal, stopLossTriggerPrice: decimal, trigger: z.enum(['FULL', 'PARTIAL']).optional() }),
  z.strictObject({ kind: z.literal('oco'), orders: z.tuple([orderBody, orderBody]) }),
  z.strictObject({ kind: z.literal('ouo'), orders: z.tuple([orderBody, orderBody]) }),
  z.strictObject({ kind: z.literal('oto'), parent: orderBody, child: orderBody.extend({ quantity: decimal.optional() }), trigger: z.enum(['FULL', 'PARTIAL']).optional() }),
]);

const algoBase = {
  instrumentId: id,
  side: z.enum(ORDER_SIDES),
  quantity: decimal,
  accountId: id.optional(),
  parentId: id.optional(),
};
const sliceOrder = z.union([z.strictObject({ type: z.literal('MARKET') }), z.strictObject({ type: z.literal('LIMIT'), price: decimal })]);
export const algoBody = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('twap'), ...algoBase, slices: z.number().int().positive().max(10_000), startTime: z.number().int().optional(), endTime: z.number().int(), order: sliceOrder.optional(), atEnd: z.enum(['SEND_REMAINDER', 'LEAVE']).optional() }),
  z.strictObject({
    kind: z.literal('vwap'),
    ...algoBase,
    weights: z.array(z.number().nonnegative()).min(1).max(10_000),
    startTime: z.number().int().optional(),
    endTime: z.number().int(),
    order: sliceOrder.optional(),
    atEnd: z.enum(['SEND_REMAINDER', 'LEAVE']).optional(),
  }),
  z.strictObject({ kind: z.literal('iceberg'), ...algoBase, displayQuantity: decimal, price: decimal }),
]);

export const positionBody = z.strictObject({ accountId: id, instrumentId: id });
export const scope = z.string().regex(/^(FIRM|ACCOUNT:\S+|STRATEGY:\S+|VENUE:\S+)$/, { error: 'must be FIRM, ACCOUNT:<id>, STRATEGY:<id> or VENUE:<name>' });
export const reason = z.string().trim().min(1, { error: 'a reason is required' }).max(500);
export const limitQuery = (max: number, dflt: number) => z.coerce.number().int().min(1).max(max).default(dflt);
export const idParams = z.strictObject({ id: z.string().min(1).max(128) });
