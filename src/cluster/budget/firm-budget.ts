/**
 * One node's side of the firm budget: a credit line reserved from the firm ledger and drawn down
 * locally. An order that fits in the line (and the order rate line, and the firm's loss of the day
 * is under its limit) is reserved at once, with no I/O; one that does not asks the ledger for more
 * with compare-and-set (its need, plus a chunk to draw on next). Releases and fills only shrink
 * the node's use; a background sync gives back slack beyond two chunks, renews the lease, publishes
 * holdings and loss, and sweeps other nodes' expired leases. With a chunk of 0 each order is
 * reserved exactly and each release handed back: one compare-and-set per order.
 *
 * The firm limit holds because the lines of all live nodes, plus the holdings of dead ones, never
 * sum past it (ledger.ts grantLine), and a node never uses more than its line.
 */
import type { PriorDenial } from '../../engine/commands.ts';
import type { AlertCode } from '../../engine/alert-codes.ts';
import { LocalBook, type Raw, type Reservation } from './local-book.ts';
import { EMPTY_LEDGER, firmLoss, grantLine, NO_EXPOSURE, showAmount, sweepExpired, withEntry, withoutEntry, type Exposure, type FirmLimits, type Ledger, type NodeEntry } from './ledger.ts';
import type { LedgerStore } from './ledger-store.ts';

export interface FirmBudgetOptions {
  readonly nodeId: string;
  readonly store: LedgerStore;
  readonly limits: FirmLimits;
  /** Gross (and net) exposure reserved beyond the need at each refill; 0n: exact reservations. */
  readonly chunk: bigint;
  readonly leaseMs: number;
  /** The wall clock, epoch ms (injected: leases are judged on it). */
  readonly now: () => number;
  /** This node's loss of the day, a positive amount at AMOUNT_SCALE (0n when in profit). */
  readonly loss?: () => bigint;
  readonly alert?: (code: AlertCode, message: string, context: Record<string, string>) => void;
  /** Renew and give back slack on a timer (default true; tests drive `sync` themselves). */
  readonly timer?: boolean;
}

export type BudgetVerdict = PriorDenial | undefined;

const dayOf = (ms: number): string => new Date(ms).toISOString().slice(0, 10);

export class FirmBudget {
  readonly book = new LocalBook();
  private line: Exposure = NO_EXPOSURE;
  private rate = 0;
  private leaseUntil = 0;
  private ledger: Ledger = EMPTY_LEDGER;
  private readonly window: number[] = [];
  private readonly tracked: ReadonlySet<string>;
  private readonly rateChunk: number;
  private connected = true;
  private lock: Promise<unknown> = Promise.resolve();
  private queued: Promise<void> | undefined;
  private ticker: ReturnType<typeof setInterval> | undefined;
  private renewalFailing = false;
  private closed = false;

  constructor(private readonly o: FirmBudgetOptions) {
    this.tracked = new Set(o.limits.net.keys());
    this.rateChunk = o.limits.rate === undefined ? 0 : o.chunk === 0n ? 0 : Math.max(1, Math.floor(o.limits.rate / 10));
  }

  /** Joins the ledger (holdings published, lease taken) and starts the renewal timer. */
  async start(): Promise<void> {
    await this.sync();
    if (this.o.timer ?? true) {
      this.ticker = setInterval(() => void this.renew(), Math.max(100, Math.floor(this.o.leaseMs / 3)));
      this.ticker.unref();
    }
  }

  /**
   * The timer's renewal. A failure while NATS is up alerts once per run of failures (a lost
   * connection has its own NATS_LOST); the next tick retries.
   */
  private async renew(): Promise<void> {
    try {
      await this.sync();
      this.renewalFailing = false;
    } catch (e) {
      if (this.renewalFailing || !this.connected) return;
      this.renewalFailing = true;
      this.o.alert?.('FIRM_BUDGET_SYNC_FAILED', `renewing the firm budget lease failed: ${e instanceof Error ? e.message : String(e)}; retrying every tick`, { nodeId: this.o.nodeId });
    }
  }

  /** The line held now, and the lease (for status and tests). */
  get state(): { line: Exposure; rate: number; leaseUntil: number; connected: boolean } {
    return { line: this.line, rate: this.rate, leaseUntil: this.leaseUntil, connected: this.connected };
  }

  setConnected(up: boolean): void {
    this.connected = up;
  }

  /**
   * Reserves budget for an order that adds exposure. Synchronous (undefined: reserved) when the
   * line covers it; otherwise a promise of the ledger's answer. A denial is the order's OrderDenied.
   */
  reserve(id: string, r: Reservation): BudgetVerdict | Promise<BudgetVerdict> {
    const now = this.o.now();
    const loss = this.lossDenial(now);
    if (loss) return loss;
    if (this.tryCommit(id, r, now)) return undefined;
    if (!this.connected) return unavailable('NATS is not connected and the line this node holds does not cover the order', { nodeId: this.o.nodeId });
    return this.locked(() => this.grow(id, r));
  }

  /** The order is done: its unfilled reservation goes back to the line (and, beyond the slack, to the firm). */
  release(id: string): void {
    if (this.book.release(id)) this.giveBackSoon();
  }

  /** Part of a reserved order filled: that part leaves the reservation; `settle` moves the holding. */
  filled(id: string, qty: Raw): void {
    this.book.filled(id, qty);
  }

  settle(instrumentId: string, side: 'BUY' | 'SELL', qty: Raw, price: Raw): void {
    this.book.settle(instrumentId, side, qty, price);
    this.giveBackSoon();
  }

  /** Renews the lease, publishes holdings and loss, gives back slack, sweeps expired leases. Single flight. */
  sync(): Promise<void> {
    // Calls while one waits to start share it; one that started already is followed by a new one (it read the book before).
    if (this.queued) return this.queued;
    const run = this.locked(() => {
      this.queued = undefined;
      return this.syncOnce();
    });
    this.queued = run;
    return run;
  }

  /** Leaves: the line cut to the holdings and the lease ended, so the rest is the firm's again at once. */
  async close(): Promise<void> {
    this.closed = true;
    if (this.ticker) clearInterval(this.ticker);
    if (!this.connected) return;
    await this.locked(() =>
      this.o.store.mutate((l) => {
        const now = this.o.now();
        const e = this.entry(this.book.held(this.tracked), 0, now, now);
        return { next: withEntry(l, this.o.nodeId, e), result: undefined };
      }),
    ).catch(() => undefined);
  }

  private tryCommit(id: string, r: Reservation, now: number): boolean {
    if (now >= this.leaseUntil - this.o.leaseMs / 10) return false;
    const count = this.pruned(now);
    if (this.o.limits.rate !== undefined && count + 1 > this.rate) return false;
    // The notional once: it is exact bigint arithmetic, on every order's path.
    const notional = LocalBook.notional(r);
    if (!this.book.fits(r, this.line, this.o.limits.gross !== undefined, this.tracked.has(r.instrumentId), notional)) return false;
    this.book.add(id, r, notional);
    if (this.o.limits.rate !== undefined) this.window.push(now);
    return true;
  }

  private async grow(id: string, r: Reservation): Promise<BudgetVerdict> {
    for (let attempt = 0; attempt < 3; attempt++) {
      const now = this.o.now();
      if (this.tryCommit(id, r, now)) return undefined;
      const need = this.book.usage(this.tracked, r);
      const needRate = this.pruned(now) + 1;
      let granted: { ok: true; line: Exposure; rate: number } | PriorDenial;
      try {
        granted = await this.o.store.mutate<{ ok: true; line: Exposure; rate: number } | PriorDenial>((l) => {
          this.ledger = l;
          const g = grantLine(l, this.o.nodeId, { need, want: plus(need, this.o.chunk), needRate, wantRate: needRate + this.rateChunk }, this.o.limits, now);
          if (!g.ok) return { next: undefined, result: { code: g.code, reason: g.reason, context: g.context } };
          return { next: withEntry(l, this.o.nodeId, this.entry(g.line, g.rate, now, now + this.o.leaseMs)), result: g };
        });
      } catch (e) {
        return unavailable(`the firm budget could not be reserved: ${e instanceof Error ? e.message : String(e)}`, { nodeId: this.o.nodeId });
      }
      if (!('ok' in granted)) return granted;
      // Adopted only once written: a line the ledger does not hold is never drawn on.
      this.adopt(granted.line, granted.rate, now);
    }
    return unavailable('the firm budget line kept being used up while it was refilled', { nodeId: this.o.nodeId });
  }

  private adopt(line: Exposure, rate: number, now: number): void {
    this.line = line;
    this.rate = rate;
    this.leaseUntil = now + this.o.leaseMs;
  }

  private async syncOnce(): Promise<void> {
    if (this.closed) return;
    const now = this.o.now();
    const { swept, target } = await this.o.store.mutate((l) => {
      const cleaned = sweepExpired(l, this.o.nodeId, now);
      const base = cleaned?.ledger ?? l;
      this.ledger = base;
      const mine = base.nodes.get(this.o.nodeId);
      const usage = this.book.usage(this.tracked);
      const count = this.pruned(now);
      if (mine === undefined || mine.leaseUntil <= now) {
        // A lease that lapsed (NATS was lost) is taken again as a new grant: the room may be gone.
        const target = regrant(base, this.o.nodeId, usage, count, this.o.limits, now);
        return { next: withEntry(base, this.o.nodeId, this.entry(target.line, target.rate, now, now + this.o.leaseMs)), result: { swept: cleaned?.swept ?? [], target } };
      }
      const target = { line: trimmed(mine.line, usage, this.o.chunk), rate: trimmedRate(mine.rate, count, this.rateChunk) };
      // A line shrinks locally before the write: an order reserved meanwhile must fit what will be written.
      this.line = target.line;
      this.rate = target.rate;
      return { next: withEntry(base, this.o.nodeId, this.entry(target.line, target.rate, now, now + this.o.leaseMs)), result: { swept: cleaned?.swept ?? [], target } };
    });
    this.adopt(target.line, target.rate, now);
    for (const id of swept) this.o.alert?.('FIRM_BUDGET_SWEPT', `node ${id}'s firm budget lease expired: its reservations are released, its holdings stay`, { nodeId: id });
  }

  private entry(line: Exposure, rate: number, now: number, leaseUntil: number): NodeEntry {
    return { line, rate, held: this.book.held(this.tracked), loss: this.o.loss?.() ?? 0n, day: dayOf(now), leaseUntil };
  }

  private lossDenial(now: number): BudgetVerdict {
    const max = this.o.limits.dailyLoss;
    if (max === undefined) return undefined;
    const day = dayOf(now);
    const others = firmLoss(withoutEntry(this.ledger, this.o.nodeId), day);
    const total = others + (this.o.loss?.() ?? 0n);
    if (total < max) return undefined;
    return { code: 'FIRM_DAILY_LOSS_EXCEEDED', reason: `the firm's loss of ${day}, ${showAmount(total)} all nodes together, reached the limit ${showAmount(max)}`, context: { loss: showAmount(total), limit: showAmount(max) } };
  }

  private giveBackSoon(): void {
    if (this.closed || !this.connected) return;
    const usage = this.book.usage(this.tracked);
    if (this.line.gross - usage.gross > 2n * this.o.chunk || (this.o.chunk === 0n && !fitsExactly(usage, this.line))) void this.sync().catch(() => undefined);
  }

  /** Orders in the last second (the rate window), after dropping older ones. */
  private pruned(now: number): number {
    const w = this.window;
    let drop = 0;
    while (drop < w.length && w[drop]! <= now - 1_000) drop++;
    if (drop > 0) w.splice(0, drop);
    return w.length;
  }

  private locked<T>(f: () => Promise<T>): Promise<T> {
    const run = this.lock.then(f, f);
    this.lock = run.catch(() => undefined);
    return run;
  }
}

function unavailable(reason: string, context: Record<string, string>): PriorDenial {
  return { code: 'FIRM_BUDGET_UNAVAILABLE', reason, context };
}

function fitsExactly(use: Exposure, line: Exposure): boolean {
  return use.gross === line.gross && [...line.long].every(([k, v]) => use.long.get(k) === v) && [...line.short].every(([k, v]) => use.short.get(k) === v);
}

const addTo = (m: ReadonlyMap<string, bigint>, d: bigint): Map<string, bigint> => new Map([...m].map(([k, v]) => [k, v + d]));

/** `e` with `chunk` more of each part it has. */
function plus(e: Exposure, chunk: bigint): Exposure {
  return chunk === 0n ? e : { gross: e.gross + chunk, long: addTo(e.long, chunk), short: addTo(e.short, chunk) };
}

/** The line after giving back slack: kept while within two chunks of the use, else cut to use + one chunk. */
function trimmed(line: Exposure, use: Exposure, chunk: bigint): Exposure {
  const part = (l: bigint, u: bigint): bigint => (l - u > 2n * chunk || l < u ? u + (chunk === 0n ? 0n : chunk) : l);
  const side = (lm: ReadonlyMap<string, bigint>, um: ReadonlyMap<string, bigint>): Map<string, bigint> => {
    const out = new Map<string, bigint>();
    for (const k of new Set([...lm.keys(), ...um.keys()])) {
      const v = part(lm.get(k) ?? 0n, um.get(k) ?? 0n);
      if (v > 0n) out.set(k, v);
    }
    return out;
  };
  return { gross: part(line.gross, use.gross), long: side(line.long, use.long), short: side(line.short, use.short) };
}

function trimmedRate(rate: number, count: number, chunk: number): number {
  return rate - count > 2 * chunk || rate < count ? count + chunk : rate;
}

/** A line taken again after the lease lapsed: the use if it fits beside the others, else only the holdings (the node then refills order by order). */
function regrant(l: Ledger, nodeId: string, use: Exposure, count: number, limits: FirmLimits, now: number): { line: Exposure; rate: number } {
  const g = grantLine(l, nodeId, { need: use, want: use, needRate: count, wantRate: count }, limits, now);
  return g.ok ? { line: g.line, rate: g.rate } : { line: use, rate: count };
}
