import type { Engine } from '../engine/engine.ts';
import type { Venue, VenueMarketNotice } from '../engine/venue.ts';
import { WardenError } from '../model/errors.ts';
import type { InstrumentId } from '../model/identifiers.ts';

/**
 * Follows what a venue says of its markets into the engine (FAULTS 34, 35), as the composition
 * root (origin SYSTEM): a status becomes Engine.setMarketStatus (a status said again changes
 * nothing, so an adapter may poll), a changed instrument Engine.updateInstrument. A change the
 * engine cannot take (a grid needing more decimals, another currency: INVALID_INSTRUMENT) fails
 * closed: the market is HALTED with the reason, so nothing is sent on a grid the node does not
 * have, until an operator reopens it. Notices about instruments the node has not registered are
 * ignored; anything else that fails is alerted with its error code.
 * Notices are handled one at a time, in the order they came. Returns a function that stops
 * following (venues have no way to remove a listener).
 */
export function followMarketNotices(engine: Engine, venue: Venue): () => void {
  if (!venue.onMarketNotice) return () => undefined;
  let active = true;
  let chain = Promise.resolve();
  const apply = async (n: VenueMarketNotice): Promise<void> => {
    if (!active) return;
    // An adapter may speak of every market it lists: one the node does not trade has nothing to protect.
    const about = n.kind === 'MarketStatus' ? n.instrumentId : n.spec.id;
    if (about !== undefined && !engine.state.instruments.has(about as InstrumentId)) return;
    if (n.kind === 'MarketStatus') {
      await engine.setMarketStatus({ venue: venue.id, ...(n.instrumentId !== undefined ? { instrumentId: n.instrumentId } : {}), status: n.status, reason: n.reason });
      return;
    }
    try {
      await engine.updateInstrument(n.spec);
    } catch (e) {
      if (!(e instanceof WardenError) || e.code !== 'INVALID_INSTRUMENT') throw e;
      await engine.setMarketStatus({ venue: venue.id, instrumentId: n.spec.id, status: 'HALTED', reason: `the venue changed the instrument in a way this node cannot take: ${e.message}` });
    }
  };
  venue.onMarketNotice((n) => {
    chain = chain
      .then(() => apply(n))
      .catch((e: unknown) => {
        const code = e instanceof WardenError ? e.code : 'BAD_REPORT';
        engine.bus.publish('alert', { code, message: `${venue.id} ${n.kind} not applied: ${(e as Error)?.message ?? String(e)}`, context: { venue: venue.id, notice: n.kind }, ts: engine.now() });
      });
  });
  return () => {
    active = false;
  };
}
