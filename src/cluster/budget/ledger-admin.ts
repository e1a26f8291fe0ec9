/**
 * What an operator does to the firm budget ledger from a shell (`warden firm budget`,
 * `warden firm forget-node`): read every node's entry as exact text, and remove a dead node's
 * entry. A dead node's holdings stay in the ledger (its positions exist at a venue) until it
 * restarts and republishes them; when it will not restart (the machine is gone, its positions
 * were closed by hand), an operator removes it. Pure: the store applies them with compare-and-set.
 */
import { FirmBudgetError, type Change } from './ledger-store.ts';
import { showAmount, withoutEntry, type Exposure, type Ledger } from './ledger.ts';

export interface ExposureView {
  readonly gross: string;
  readonly long: Readonly<Record<string, string>>;
  readonly short: Readonly<Record<string, string>>;
}

export interface NodeEntryView {
  readonly node: string;
  /** Whether the lease still lives at `now`: a live node's line counts in full, a dead one's only its holdings. */
  readonly live: boolean;
  readonly leaseUntil: string;
  readonly line: ExposureView;
  readonly rate: number;
  readonly held: ExposureView;
  readonly loss: string;
  readonly day: string;
}

/** An exact amount without the trailing zeros of the ledger's fixed scale (400, not 400.0000000000). */
const plain = (raw: bigint): string => {
  const t = showAmount(raw);
  return t.includes('.') ? t.replace(/0+$/, '').replace(/\.$/, '') : t;
};

const exposureView = (e: Exposure): ExposureView => ({
  gross: plain(e.gross),
  long: Object.fromEntries([...e.long].map(([k, v]) => [k, plain(v)])),
  short: Object.fromEntries([...e.short].map(([k, v]) => [k, plain(v)])),
});

/** Every node's entry, by node id. */
export function ledgerView(l: Ledger, now: number): NodeEntryView[] {
  return [...l.nodes]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([node, e]) => ({ node, live: e.leaseUntil > now, leaseUntil: new Date(e.leaseUntil).toISOString(), line: exposureView(e.line), rate: e.rate, held: exposureView(e.held), loss: plain(e.loss), day: e.day }));
}

/** The ledger without `nodeId`'s entry; refused while its lease lives (a running node would write it back and be over its line). */
export function forgetNode(l: Ledger, nodeId: string, now: number): Change<NodeEntryView> {
  const e = l.nodes.get(nodeId);
  if (!e) throw new FirmBudgetError('FIRM_NODE_UNKNOWN', `the firm budget ledger has no node ${nodeId}`, { nodeId });
  const [view] = ledgerView({ nodes: new Map([[nodeId, e]]) }, now);
  if (e.leaseUntil > now) {
    throw new FirmBudgetError('FIRM_NODE_LIVE', `node ${nodeId} still holds a live lease (until ${view!.leaseUntil}): stop it first, or wait for the lease to run out`, { nodeId, leaseUntil: view!.leaseUntil });
  }
  return { next: withoutEntry(l, nodeId), result: view! };
}
