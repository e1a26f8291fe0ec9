/**
 * The firm budget's ledger: one JSON value in the KV bucket (key `<firm>.ledger`) holding every
 * node's credit line, its published holdings, its loss of the day and its lease. Pure functions
 * only: the store (ledger-store.ts) reads a revision, applies one of these and writes it back with
 * compare-and-set, so two nodes can never both take the last of a limit.
 *
 * A node's line is what it reserved from the firm: it covers its working orders and its holdings
 * and is drawn down locally. While its lease lives the line counts in full; once the lease is past
 * (the node died or is cut off) only its holdings count, and any live node may sweep it (its line
 * set to its holdings). Holdings stay until the node restarts and republishes them, or an operator
 * clears the node: positions that exist at a venue do not vanish because a process died.
 *
 * Amounts are exact: bigint at AMOUNT_SCALE decimals, written as decimal strings.
 */
import { formatRaw, toRaw } from '../../model/decimal.ts';
import type { DenialCode } from '../../model/denial-codes.ts';

export const AMOUNT_SCALE = 10;
export const LEDGER_VERSION = 1;

/** Exposure amounts: gross, and per instrument the long and short side of net exposure. */
export interface Exposure {
  readonly gross: bigint;
  readonly long: ReadonlyMap<string, bigint>;
  readonly short: ReadonlyMap<string, bigint>;
}

export interface NodeEntry {
  /** What the node reserved: exposure, and orders per second. */
  readonly line: Exposure;
  readonly rate: number;
  /** What the node holds (filled positions), as it last published them. */
  readonly held: Exposure;
  /** Its loss of the day (a positive amount; 0 when in profit) and the UTC day it belongs to. */
  readonly loss: bigint;
  readonly day: string;
  /** Wall-clock epoch ms until which the line counts. */
  readonly leaseUntil: number;
}

export interface Ledger {
  readonly nodes: ReadonlyMap<string, NodeEntry>;
}

/** The firm's limits, exact (undefined: no limit of that kind). */
export interface FirmLimits {
  readonly gross?: bigint;
  readonly net: ReadonlyMap<string, bigint>;
  readonly dailyLoss?: bigint;
  readonly rate?: number;
}

export const NO_EXPOSURE: Exposure = Object.freeze({ gross: 0n, long: new Map(), short: new Map() });
export const EMPTY_LEDGER: Ledger = Object.freeze({ nodes: new Map() });

export const amount = (text: string, field: string): bigint => toRaw(text, AMOUNT_SCALE, field);
export const showAmount = (raw: bigint): string => formatRaw(raw, AMOUNT_SCALE);

/** The node's line as it counts at `now`: in full while leased, its holdings once the lease is past. */
export function effectiveLine(e: NodeEntry, now: number): { exposure: Exposure; rate: number } {
  return e.leaseUntil > now ? { exposure: e.line, rate: e.rate } : { exposure: e.held, rate: 0 };
}

/** What every node but `except` takes of each limit at `now`. */
export function takenByOthers(l: Ledger, except: string, now: number): { exposure: Exposure; rate: number } {
  let gross = 0n;
  let rate = 0;
  const long = new Map<string, bigint>();
  const short = new Map<string, bigint>();
  for (const [id, e] of l.nodes) {
    if (id === except) continue;
    const line = effectiveLine(e, now);
    gross += line.exposure.gross;
    rate += line.rate;
    for (const [k, v] of line.exposure.long) long.set(k, (long.get(k) ?? 0n) + v);
    for (const [k, v] of line.exposure.short) short.set(k, (short.get(k) ?? 0n) + v);
  }
  return { exposure: { gross, long, short }, rate };
}

/** The firm's loss of the day `day`: every node's, live or not (a loss is real after its node dies). */
export function firmLoss(l: Ledger, day: string): bigint {
  let sum = 0n;
  for (const e of l.nodes.values()) if (e.day === day) sum += e.loss;
  return sum;
}

/** A line asked for: `want` is the target, `need` the least that will do (need ≤ want, each part). */
export interface LineRequest {
  readonly need: Exposure;
  readonly want: Exposure;
  readonly needRate: number;
  readonly wantRate: number;
}

export type Grant =
  | { readonly ok: true; readonly line: Exposure; readonly rate: number }
  | { readonly ok: false; readonly code: DenialCode; readonly reason: string; readonly context: Readonly<Record<string, string>> };

/** One part of a line: as much of `want` as fits beside the others, never less than `need` (or undefined: `need` does not fit). */
function fitPart(need: bigint, want: bigint, current: bigint, others: bigint, limit: bigint | undefined): bigint | undefined {
  if (limit === undefined) return want;
  const room = limit - others;
  if (need <= room || need <= current) return want <= room ? want : need > room ? need : room;
  return undefined;
}

/**
 * Pure: the line the node `nodeId` gets at `now` for `req`, or the denial of the first limit it
 * would break. A line may shrink freely; it may grow only into room the other nodes leave.
 */
export function grantLine(l: Ledger, nodeId: string, req: LineRequest, limits: FirmLimits, now: number): Grant {
  const others = takenByOthers(l, nodeId, now);
  const mine = l.nodes.get(nodeId);
  const cur = mine ? effectiveLine(mine, now) : { exposure: NO_EXPOSURE, rate: 0 };
  const gross = fitPart(req.need.gross, req.want.gross, cur.exposure.gross, others.exposure.gross, limits.gross);
  if (gross === undefined) {
    return deny('FIRM_BUDGET_EXCEEDED', `firm gross exposure: ${showAmount(others.exposure.gross)} taken by other nodes, ${showAmount(req.need.gross)} needed, limit ${showAmount(limits.gross ?? 0n)}`, { taken: showAmount(others.exposure.gross), needed: showAmount(req.need.gross), limit: showAmount(limits.gross ?? 0n) });
  }
  const long = new Map<string, bigint>();
  const short = new Map<string, bigint>();
  for (const [side, out, needs, wants, taken, current] of [
    ['long', long, req.need.long, req.want.long, others.exposure.long, cur.exposure.long],
    ['short', short, req.need.short, req.want.short, others.exposure.short, cur.exposure.short],
  ] as const) {
    for (const [inst, want] of wants) {
      const need = needs.get(inst) ?? 0n;
      const got = fitPart(need, want, current.get(inst) ?? 0n, taken.get(inst) ?? 0n, limits.net.get(inst));
      if (got === undefined) {
        const limit = showAmount(limits.net.get(inst) ?? 0n);
        return deny('FIRM_NET_BUDGET_EXCEEDED', `firm net ${side} exposure in ${inst}: ${showAmount(taken.get(inst) ?? 0n)} taken by other nodes, ${showAmount(need)} needed, limit ${limit}`, { instrumentId: inst, side, limit });
      }
      if (got > 0n) out.set(inst, got);
    }
  }
  const rateLimit = limits.rate;
  const rate = rateLimit === undefined ? req.wantRate : fitPart(BigInt(req.needRate), BigInt(req.wantRate), BigInt(cur.rate), BigInt(others.rate), BigInt(rateLimit));
  if (rate === undefined) return deny('FIRM_ORDER_RATE_EXCEEDED', `firm order rate: ${others.rate}/s taken by other nodes, limit ${String(rateLimit)}/s`, { taken: String(others.rate), limit: String(rateLimit) });
  return { ok: true, line: { gross, long, short }, rate: Number(rate) };
}

function deny(code: DenialCode, reason: string, context: Record<string, string>): Grant {
  return { ok: false, code, reason, context };
}

/** The ledger with `nodeId`'s entry replaced. */
export function withEntry(l: Ledger, nodeId: string, e: NodeEntry): Ledger {
  const nodes = new Map(l.nodes);
  nodes.set(nodeId, e);
  return { nodes };
}

/** The ledger with `nodeId` removed (an operator clearing a node that will not come back). */
export function withoutEntry(l: Ledger, nodeId: string): Ledger {
  const nodes = new Map(l.nodes);
  nodes.delete(nodeId);
  return { nodes };
}

/**
 * Pure: the ledger with every expired line (other than `self`'s) cut to its holdings, and the ids
 * swept; undefined when none had expired (nothing to write).
 */
export function sweepExpired(l: Ledger, self: string, now: number): { ledger: Ledger; swept: string[] } | undefined {
  const swept: string[] = [];
  const nodes = new Map(l.nodes);
  for (const [id, e] of l.nodes) {
    if (id === self || e.leaseUntil > now || (e.rate === 0 && sameExposure(e.line, e.held))) continue;
    nodes.set(id, { ...e, line: e.held, rate: 0 });
    swept.push(id);
  }
  return swept.length === 0 ? undefined : { ledger: { nodes }, swept };
}

export function sameExposure(a: Exposure, b: Exposure): boolean {
  return a.gross === b.gross && sameMap(a.long, b.long) && sameMap(a.short, b.short);
}

function sameMap(a: ReadonlyMap<string, bigint>, b: ReadonlyMap<string, bigint>): boolean {
  if (a.size !== b.size) return false;
  for (const [k, v] of a) if (b.get(k) !== v) return false;
  return true;
}
