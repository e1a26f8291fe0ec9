import type { streaming } from '@alpacahq/alpaca-trade-api';
import type { AlertCode } from '../../engine/alert-codes.ts';
import { instrumentId, tradeId } from '../../model/identifiers.ts';
import type { BrokerMarketItem, BrokerSubscription } from '../broker/contract.ts';
import { alpacaDecimal } from './exact.ts';

/** Alpaca streams minute bars only (`bars`); longer bars are the node's to resample. */
const MINUTE = 60_000;

/**
 * Quotes, trades and minute bars from Alpaca's stock stream (msgpack, /v2/iex or /v2/sip) through
 * the SDK's StockDataStream, as Warden's market items under the instrument ids. Alpaca's doubles
 * are read through their shortest round-trip text (exact.ts), never rounded.
 */
export function streamMarketData(
  stream: streaming.StockDataStream,
  subs: readonly BrokerSubscription[],
  sink: (item: BrokerMarketItem) => void,
  onAlert: (code: AlertCode, message: string) => void,
): { stop(): void } {
  const idOf = new Map(subs.map((s) => [s.symbol, instrumentId(s.instrumentId)]));
  const safely = (what: string, work: () => BrokerMarketItem | undefined) => {
    try {
      const item = work();
      if (item) sink(item);
    } catch (e) {
      onAlert('VENUE_STREAM_FAILED', `Alpaca ${what}: ${(e as Error).message}`);
    }
  };
  stream.onQuote((q) =>
    safely('quote', () => {
      const id = idOf.get(q.symbol);
      return id && { instrumentId: id, ts: q.timestamp.getTime(), bid: alpacaDecimal(q.bidPrice, 'bp'), ask: alpacaDecimal(q.askPrice, 'ap'), bidSize: alpacaDecimal(q.bidSize, 'bs'), askSize: alpacaDecimal(q.askSize, 'as') };
    }),
  );
  stream.onTrade((t) =>
    safely('trade', () => {
      const id = idOf.get(t.symbol);
      return id && { instrumentId: id, ts: t.timestamp.getTime(), tradeId: tradeId(t.idRaw ?? String(t.id)), price: alpacaDecimal(t.price, 'p'), size: alpacaDecimal(t.size, 's'), aggressor: undefined };
    }),
  );
  stream.onBar((b) =>
    safely('bar', () => {
      const id = idOf.get(b.symbol);
      return (
        id && {
          instrumentId: id,
          ts: b.timestamp.getTime(),
          durationMs: MINUTE,
          open: alpacaDecimal(b.open, 'o'),
          high: alpacaDecimal(b.high, 'h'),
          low: alpacaDecimal(b.low, 'l'),
          close: alpacaDecimal(b.close, 'c'),
          volume: alpacaDecimal(b.volume, 'v'),
        }
      );
    }),
  );
  stream.onError((m) => onAlert('VENUE_STREAM_FAILED', `Alpaca market data: ${m}`));
  const quotes = subs.filter((s) => s.quotes).map((s) => s.symbol);
  const trades = subs.filter((s) => s.trades).map((s) => s.symbol);
  const bars = subs.filter((s) => s.bars !== undefined).map((s) => s.symbol);
  for (const s of subs) if (s.bars !== undefined && s.bars !== '1m') onAlert('VENUE_STREAM_FAILED', `Alpaca streams 1m bars only; ${s.symbol} asked for ${s.bars}: 1m bars are given`);
  if (quotes.length) stream.subscribeForQuotes(quotes);
  if (trades.length) stream.subscribeForTrades(trades);
  if (bars.length) stream.subscribeForBars(bars);
  stream.connect();
  return { stop: () => stream.disconnect() };
}
