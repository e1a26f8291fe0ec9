/**
 * The fake's side of Binance's errors: the mapping from the matching core's refusals to Binance's
 * codes and exact messages. The error type and messages are the shared codec's.
 */
import type { FakeReject } from '../fake-venue/matching.ts';
import { BinanceError, err, MSG } from '../../../src/server/gateway/wire/errors.ts';

export { BinanceError, err, MSG };

/** What the matching core refused, as Binance answers it. */
export function fromReject(e: FakeReject, futures: boolean): BinanceError {
  switch (e.code) {
    case 'INSUFFICIENT_BALANCE':
      return futures ? new BinanceError(400, -2019, 'Margin is insufficient.') : new BinanceError(400, -2010, MSG.insufficient);
    case 'POST_ONLY_WOULD_CROSS':
      return futures
        ? new BinanceError(400, -5022, 'Due to the order could not be executed as maker, the Post Only order will be rejected.')
        : new BinanceError(400, -2010, MSG.wouldTake);
    case 'DUPLICATE_CLIENT_ORDER_ID':
      return futures ? new BinanceError(400, -4015, 'Client order id is not valid.') : new BinanceError(400, -2010, MSG.duplicate);
    case 'UNKNOWN_SYMBOL':
      return new BinanceError(400, -1121, MSG.invalidSymbol);
    case 'UNKNOWN_ORDER':
      return err.unknownCancel();
    case 'REDUCE_ONLY_REJECTED':
      return new BinanceError(400, -2022, MSG.reduceOnly);
    case 'INVALID_ORDER':
      return /Filter failure/.test(e.message) ? new BinanceError(400, -1013, e.message) : new BinanceError(400, -2010, e.message);
  }
}
