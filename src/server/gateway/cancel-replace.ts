/**
 * POST /api/v3/order/cancelReplace (ccxt's editOrder on Binance spot): cancels one of the key's
 * orders and places a new one, as Binance answers it. The new order's parameters are checked
 * first (nothing is canceled for a malformed one); `STOP_ON_FAILURE` places nothing when the
 * cancel fails, `ALLOW_FAILURE` places anyway. Both halves succeed: 200; one fails: 409 -2021;
 * nothing done: 400 -2022, each with Binance's `data` of both results. The new order goes through
 * Warden's gate like any other: a denial is the new order's failure.
 */
import type { Params } from './http.ts';
import type { KeyOrders } from './key-orders.ts';
import { requireTrade, type GatewayKey } from './keys.ts';
import { newOrderId } from '../commands.ts';
import { required, type GatewayTrading } from './trading.ts';
import { BinanceError, err } from './wire/errors.ts';
import { cancelAnswer } from './wire/spot-wire.ts';

type Half = { ok: true; body: Record<string, unknown> } | { ok: false; body: { code: number; msg: string } };

async function attempt(run: () => Promise<Record<string, unknown>>): Promise<Half> {
  try {
    return { ok: true, body: await run() };
  } catch (e) {
    if (e instanceof BinanceError) return { ok: false, body: { code: e.code, msg: e.msg } };
    throw e;
  }
}

export async function cancelReplace(trading: GatewayTrading, orders: KeyOrders, p: Params, key: GatewayKey): Promise<Record<string, unknown>> {
  requireTrade(key);
  const mode = required(p, 'cancelReplaceMode');
  if (mode !== 'STOP_ON_FAILURE' && mode !== 'ALLOW_FAILURE') throw err.mandatory('cancelReplaceMode');
  trading.checkOrder(p, key);
  if (p['cancelOrderId'] === undefined && p['cancelOrigClientOrderId'] === undefined) throw err.mandatory('cancelOrderId');
  const canceled = await attempt(async () => {
    const k = orders.find(p, key, err.unknownCancel, { orderId: 'cancelOrderId', clientId: 'cancelOrigClientOrderId' });
    return cancelAnswer(orders.wire(await orders.cancel(k, key)), p['cancelNewClientOrderId'] ?? newOrderId('cancel'));
  });
  if (!canceled.ok && mode === 'STOP_ON_FAILURE') {
    throw new BinanceError(400, -2022, 'Order cancel-replace failed.', {}, undefined, { cancelResult: 'FAILURE', newOrderResult: 'NOT_ATTEMPTED', cancelResponse: canceled.body, newOrderResponse: null });
  }
  const placed = await attempt(() => trading.place(p, key));
  const data = { cancelResult: canceled.ok ? 'SUCCESS' : 'FAILURE', newOrderResult: placed.ok ? 'SUCCESS' : 'FAILURE', cancelResponse: canceled.body, newOrderResponse: placed.body };
  if (canceled.ok && placed.ok) return data;
  if (!canceled.ok && !placed.ok) throw new BinanceError(400, -2022, 'Order cancel-replace failed.', {}, undefined, data);
  throw new BinanceError(409, -2021, 'Order cancel-replace partially failed.', {}, undefined, data);
}
