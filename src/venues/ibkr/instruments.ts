import type { Contract } from '@stoqey/ib';
import { Currencies, currency, type Currency } from '../../model/currency.ts';
import { ValidationError, VenueCallError } from '../../model/errors.ts';
import type { Instrument, InstrumentSpec } from '../../model/instrument.ts';
import { ibDecimal } from './exact.ts';
import type { IbRequests } from './requests.ts';

/**
 * The contracts the venue trades: a symbol ("AAPL", or a conid "265598") is resolved to IB's
 * conid through reqContractDetails once and kept; its instrument spec comes from the same answer
 * (tick from minTick, read exactly; lot 1 for stocks; the contract's currency).
 */
export class IbInstruments {
  private readonly conIds = new Map<string, number>();
  private readonly bySymbol = new Map<string, Instrument>();
  private readonly byInstrumentId = new Map<string, { instrument: Instrument; symbol: string }>();
  private readonly byConId = new Map<number, Instrument>();

  constructor(
    private readonly requests: IbRequests,
    private readonly exchange: string,
    private readonly currency: string,
  ) {}

  async spec(id: string, symbol: string): Promise<InstrumentSpec> {
    const d = await this.details(symbol);
    const c = d.contract;
    if (String(c.secType) !== 'STK') throw new ValidationError('INVALID_INSTRUMENT', `${symbol} at IB is a ${String(c.secType)}, and only stocks (STK) are traded through this adapter`, { symbol });
    const tick = ibDecimal(d.minTick, `${symbol} minTick`);
    const places = tick.includes('.') ? tick.split('.')[1]!.length : 0;
    return { id, kind: 'EQUITY', quote: quoteCurrency(c.currency ?? this.currency, places), tickSize: tick, lotSize: '1', minQuantity: '1' };
  }

  register(instrument: Instrument, symbol: string): void {
    this.bySymbol.set(symbol, instrument);
    this.byInstrumentId.set(instrument.id, { instrument, symbol });
    const conId = this.conIds.get(symbol);
    if (conId !== undefined) this.byConId.set(conId, instrument);
  }

  byId(instrumentId: string): Instrument | undefined {
    return this.byInstrumentId.get(instrumentId)?.instrument;
  }

  symbolOf(instrument: Instrument): string {
    const e = this.byInstrumentId.get(instrument.id);
    if (!e) throw new VenueCallError('VENUE_REJECTED', `INVALID_ORDER: ${instrument.id} is not listed on this IB venue`);
    return e.symbol;
  }

  /** The instrument of an IB contract (by conid, else by symbol). */
  of(c: Contract): Instrument | undefined {
    return (c.conId !== undefined ? this.byConId.get(c.conId) : undefined) ?? (c.symbol !== undefined ? this.bySymbol.get(c.symbol) : undefined);
  }

  /** The conid of a listed symbol, looked up once; a lookup that fails means nothing was sent. */
  async conIdOf(symbol: string): Promise<number> {
    const known = this.conIds.get(symbol);
    if (known !== undefined) return known;
    try {
      return (await this.details(symbol)).contract.conId!;
    } catch (e) {
      if (e instanceof ValidationError) throw new VenueCallError('VENUE_REJECTED', `INVALID_INSTRUMENT: ${e.message}`);
      throw new VenueCallError('VENUE_DISCONNECTED', `the conid of ${symbol} could not be looked up: ${(e as Error).message}`);
    }
  }

  private async details(symbol: string) {
    const query: Contract = /^\d+$/.test(symbol) ? { conId: Number(symbol), exchange: this.exchange } : { symbol, secType: 'STK' as Contract['secType'], exchange: this.exchange, currency: this.currency };
    let found;
    try {
      found = await this.requests.contractDetails(query);
    } catch (e) {
      if (e instanceof VenueCallError && /\(IB 200\)/.test(e.message)) throw new ValidationError('INVALID_INSTRUMENT', `IB has no contract for ${symbol}: ${e.message}`, { symbol });
      throw e;
    }
    if (found.length !== 1) throw new ValidationError('INVALID_INSTRUMENT', `IB has ${found.length} contracts for ${symbol}; name one by its conid`, { symbol });
    const d = found[0]!;
    const conId = d.contract.conId;
    if (conId === undefined) throw new ValidationError('INVALID_INSTRUMENT', `IB gave no conid for ${symbol}`, { symbol });
    this.conIds.set(symbol, conId);
    const inst = this.bySymbol.get(symbol);
    if (inst) this.byConId.set(conId, inst);
    return d;
  }
}

/** The quote currency, with as many places as the tick needs (a sub-penny stock's notional is exact). */
function quoteCurrency(code: string, tickPlaces: number): Currency {
  const known = (Currencies as Record<string, Currency>)[code];
  const places = Math.max(2, tickPlaces);
  return known && known.precision === places ? known : currency(code, places, 'FIAT');
}
