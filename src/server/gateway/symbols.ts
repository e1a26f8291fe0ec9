/**
 * The gateway's symbol map: each Binance symbol a client trades names one Warden instrument (on a
 * live ccxt venue or a paper/sim one), and back.
 */
import type { Engine } from '../../engine/engine.ts';
import { ValidationError } from '../../model/errors.ts';
import type { WireMarket } from './wire/exchange-info.ts';
import { BinanceError, MSG } from './wire/errors.ts';

export class GatewaySymbols {
  private readonly toInstrument: ReadonlyMap<string, string>;
  private readonly toSymbol: ReadonlyMap<string, string>;

  constructor(map: Readonly<Record<string, string>>) {
    this.toInstrument = new Map(Object.entries(map));
    this.toSymbol = new Map(Object.entries(map).map(([s, i]) => [i, s]));
  }

  /** Refuses a map naming an instrument the node does not trade, or one instrument twice. */
  check(engine: Engine): void {
    if (this.toSymbol.size !== this.toInstrument.size) throw new ValidationError('INVALID_FIELD', 'gateway.symbols maps two symbols to one instrument', { field: 'gateway.symbols' });
    for (const [symbol, id] of this.toInstrument) {
      try {
        engine.instrument(id);
      } catch {
        throw new ValidationError('INVALID_FIELD', `gateway.symbols.${symbol}: the node has no instrument ${id}`, { field: `gateway.symbols.${symbol}`, input: id });
      }
    }
  }

  /** -1121 Invalid symbol for a symbol the gateway does not map. */
  instrumentOf(symbol: string): string {
    const id = this.toInstrument.get(symbol);
    if (id === undefined) throw new BinanceError(400, -1121, MSG.invalidSymbol);
    return id;
  }

  symbolOf(instrumentId: string): string {
    const s = this.toSymbol.get(instrumentId);
    if (s === undefined) throw new Error(`instrument ${instrumentId} is not on the gateway`);
    return s;
  }

  /** Every mapped symbol, in the config's order. */
  all(): string[] {
    return [...this.toInstrument.keys()];
  }

  has(instrumentId: string): boolean {
    return this.toSymbol.has(instrumentId);
  }

  /** Every mapped market as exchangeInfo lists it, from the node's instruments (exact text). */
  markets(engine: Engine): { market: WireMarket; status: string }[] {
    return [...this.toInstrument].map(([symbol, id]) => {
      const i = engine.instrument(id);
      const market: WireMarket = {
        symbol,
        base: i.base?.code ?? symbol,
        quote: i.quote.code,
        tickSize: i.tickSize.toString(),
        lotSize: i.lotSize.toString(),
        ...(i.minQuantity ? { minQty: i.minQuantity.toString() } : {}),
        ...(i.maxQuantity ? { maxQty: i.maxQuantity.toString() } : {}),
        ...(i.minNotional ? { minNotional: i.minNotional.toDecimalString() } : {}),
      };
      return { market, status: 'TRADING' };
    });
  }
}
