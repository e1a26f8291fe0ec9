import type { MarketStatusView } from '../../engine/markets/market-statuses.ts';
import type { Instrument } from '../../model/instrument.ts';
import { deny, type Denial } from './denials.ts';

/**
 * A new order or a modify that adds risk, on a venue or market that is not OPEN (FAULTS 34):
 * VENUE_UNAVAILABLE while it is in MAINTENANCE, MARKET_CLOSED while it is CLOSED or HALTED.
 * Denied here, before anything reaches the venue, so a closed market costs no venue call and no
 * retry; cancels never come to the gate and a modify that only lowers the quantity passes.
 */
export function marketStatusDenial(markets: MarketStatusView, inst: Instrument, order: { where(): string }): Denial | undefined {
  const s = markets.effective(inst);
  if (s === undefined) return undefined;
  // Named only when denied: the text is built per order otherwise, on the gate's hot path.
  const what = order.where();
  const where = s.instrumentId === undefined ? `venue ${s.venue}` : `market ${s.instrumentId}`;
  const context = { limit: 'OPEN', actual: s.status, venue: s.venue, instrument: inst.id, scope: s.instrumentId === undefined ? 'venue' : 'instrument', reason: s.reason };
  if (s.status === 'MAINTENANCE') return deny('VENUE_UNAVAILABLE', `${where} is in maintenance (${s.reason}): ${what} denied`, context);
  return deny('MARKET_CLOSED', `${where} is ${s.status} (${s.reason}): ${what} denied`, context);
}
