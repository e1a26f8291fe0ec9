import type { Exchange } from 'ccxt';
import type { VenueMarketNotice } from '../../engine/venue.ts';
import type { Instrument } from '../../model/instrument.ts';
import { currenciesOf, gridChange, instrumentSpecOf } from './markets.ts';

/**
 * What a fresh look at the exchange's markets says about our instruments (FAULTS 34, 35): a
 * market that stopped or resumed trading (ccxt's `active`), a changed tick or lot (a new spec,
 * exact, for the engine to take or refuse), and the exchange's own status (maintenance) where
 * ccxt reads it. Pure apart from the calls; the engine drops a status it already has.
 */
export async function marketNotices(exchange: Exchange, listed: ReadonlyMap<string, Instrument>): Promise<VenueMarketNotice[]> {
  const out: VenueMarketNotice[] = [];
  const markets = await exchange.loadMarkets(true);
  // The exchange's own word on maintenance where ccxt reads it; else it answered, so it is open.
  let status: string | undefined;
  if (exchange.has['fetchStatus']) status = await exchange.fetchStatus().then((s) => (s.status === undefined ? undefined : String(s.status)), () => undefined);
  out.push(status === 'maintenance' ? { kind: 'MarketStatus', status: 'MAINTENANCE', reason: `${exchange.id} reports maintenance` } : { kind: 'MarketStatus', status: 'OPEN', reason: `${exchange.id} answers${status ? ` (${status})` : ''}` });
  const mode = exchange.precisionMode === 2 ? 'DECIMAL_PLACES' : 'TICK_SIZE';
  for (const [symbol, inst] of listed) {
    const m = markets[symbol];
    if (!m) {
      out.push({ kind: 'MarketStatus', instrumentId: inst.id, status: 'CLOSED', reason: `${exchange.id} no longer lists ${symbol}` });
      continue;
    }
    out.push({ kind: 'MarketStatus', instrumentId: inst.id, status: m.active === false ? 'HALTED' : 'OPEN', reason: `${exchange.id} lists ${symbol} as ${m.active === false ? 'not trading' : 'trading'}` });
    const currencies = currenciesOf([inst]);
    let spec;
    try {
      spec = instrumentSpecOf(inst.id, m, mode, currencies);
    } catch (e) {
      out.push({ kind: 'MarketStatus', instrumentId: inst.id, status: 'HALTED', reason: `${symbol} no longer fits the exact grid: ${(e as Error).message}` });
      continue;
    }
    if (gridChange(inst.spec, spec)) out.push({ kind: 'InstrumentChanged', spec });
  }
  return out;
}
