import { Money } from '../model/money.ts';
import type { Engine } from './engine.ts';
import type { VenueQueries } from './venue.ts';

export interface PositionMismatch {
  readonly accountId: string;
  readonly instrumentId: string;
  readonly ours: string;
  readonly venue: string;
}

export interface BalanceMismatch {
  readonly accountId: string;
  readonly currency: string;
  readonly ours: string;
  readonly venue: string;
}

/**
 * Our holdings at a venue against what it reports. Positions per account and instrument, summed
 * over our strategies, for the instrument kinds the venue reports positions of (a spot exchange
 * holds balances, not positions: its spot instruments are compared as balances instead). Balances
 * per account and currency, for the currencies our account holds, when the venue reports them.
 * Pure apart from the queries; acting on a mismatch is the caller's.
 */
export async function compareHoldings(engine: Engine, venueId: string, q: VenueQueries): Promise<{ positions: PositionMismatch[]; balances: BalanceMismatch[] }> {
  const kinds = q.positionKinds;
  const counted = (instrumentId: string): boolean => {
    const inst = engine.instrument(instrumentId);
    return inst.venue === venueId && (kinds === undefined || kinds.includes(inst.kind));
  };
  const mine = new Map<string, bigint>();
  for (const p of engine.portfolio.openPositions()) {
    if (!counted(p.instrumentId)) continue;
    const k = `${p.accountId} ${p.instrumentId}`;
    mine.set(k, (mine.get(k) ?? 0n) + p.signedQtyRaw);
  }
  const positions: PositionMismatch[] = [];
  const seen = new Set<string>();
  for (const vp of await q.positions()) {
    if (!counted(vp.instrumentId)) continue;
    const k = `${vp.accountId} ${vp.instrumentId}`;
    seen.add(k);
    const inst = engine.instrument(vp.instrumentId);
    const venueRaw = (vp.side === 'SHORT' ? -1n : 1n) * inst.quantity(vp.quantity).raw;
    const ourRaw = mine.get(k) ?? 0n;
    if (venueRaw !== ourRaw) positions.push({ accountId: vp.accountId, instrumentId: vp.instrumentId, ours: String(ourRaw), venue: String(venueRaw) });
  }
  for (const [k, raw] of mine) {
    if (seen.has(k) || raw === 0n) continue;
    const [accountId = '', instrumentId = ''] = k.split(' ');
    positions.push({ accountId, instrumentId, ours: String(raw), venue: '0' });
  }
  const balances: BalanceMismatch[] = [];
  if (q.balances) {
    const theirs = new Map((await q.balances()).map((b) => [`${b.accountId} ${b.currency}`, b]));
    const accounts = new Set([...theirs.keys()].map((k) => k.split(' ')[0]!));
    for (const accountId of accounts) {
      if (!engine.portfolio.hasAccount(accountId as never)) continue;
      for (const b of engine.portfolio.account(accountId as never).balances()) {
        const shown = theirs.get(`${accountId} ${b.total.currency.code}`);
        const venue = shown?.total ?? '0';
        const ours = b.total;
        const same = sameAmount(ours, venue, shown?.places);
        if (!same) balances.push({ accountId, currency: ours.currency.code, ours: ours.toDecimalString(), venue });
      }
    }
  }
  return { positions, balances };
}

/**
 * Whether the venue's figure is our amount: exactly, or, where the venue shows fewer places than
 * our ledger keeps (Kraken shows USD to 4), within one unit of its last place shown.
 */
function sameAmount(ours: Money, venue: string, places: number | undefined): boolean {
  const p = ours.currency.precision;
  let theirs: Money;
  try {
    theirs = Money.of(venue, ours.currency);
  } catch {
    return false; // more places than our ledger keeps: not the same amount
  }
  if (places === undefined || places >= p) return theirs.raw === ours.raw;
  const unit = 10n ** BigInt(p - Math.max(0, places));
  const diff = theirs.raw > ours.raw ? theirs.raw - ours.raw : ours.raw - theirs.raw;
  return diff < unit;
}
