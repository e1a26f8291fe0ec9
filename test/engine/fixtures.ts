/**
 * Fixtures for the engine tests: an engine wired to a ScriptedVenue on a TestClock, journals that
 * can be held or made to fail, venues that hold or throw, a deny-by-rule gate, and a canonical
 * snapshot of the engine's state (orders, positions, balances) for replay comparisons.
 */
import { TestClock } from '../../src/engine/clock.ts';
import { Engine, type EngineOptions } from '../../src/engine/engine.ts';
import type { JournalRecord } from '../../src/engine/events.ts';
import type { EngineView, PreTradeGate, PreTradeRequest, Verdict } from '../../src/engine/gate.ts';
import { MemoryJournal, type Journal } from '../../src/engine/journal.ts';
import type { EngineAlert } from '../../src/engine/topics.ts';
import type { CancelRequest, ModifyRequest, SubmitRequest } from '../../src/engine/venue.ts';
import { Currencies } from '../../src/model/currency.ts';
import { Money } from '../../src/model/money.ts';
import type { OrderRequest } from '../../src/model/orders/factory.ts';
import { ScriptedVenue, type ScriptedVenueOptions } from '../../src/venues/scripted/scripted-venue.ts';

/** 2024-01-02T00:00:00Z in epoch milliseconds. */
export const T0 = 1_704_153_600_000;

export const BTC = 'BTCUSDT.BINANCE';
export const ETH = 'ETHUSDT.BINANCE';
/** Registered, but no venue named KRAKEN is ever added. */
export const XRP_KRAKEN = 'XRPUSDT.KRAKEN';

/**
 * BTC/USDT spot with a coarse grid so that off-grid values are representable at the grid's
 * precision: tick 0.05 (price precision 2), lot 0.005 (size precision 3). Notional scale 5 <= 8.
 * Taker 10 bps, maker 2 bps.
 */
export const BTC_SPEC = {
  id: BTC,
  kind: 'SPOT',
  base: Currencies.BTC,
  quote: Currencies.USDT,
  tickSize: '0.05',
  lotSize: '0.005',
  takerFee: '0.001',
  makerFee: '0.0002',
} as const;

export const ETH_SPEC = {
  id: ETH,
  kind: 'SPOT',
  base: Currencies.ETH,
  quote: Currencies.USDT,
  tickSize: '0.01',
  lotSize: '0.001',
} as const;

export const XRP_SPEC = {
  id: XRP_KRAKEN,
  kind: 'SPOT',
  base: Currencies.XRP,
  quote: Currencies.USDT,
  tickSize: '0.0001',
  lotSize: '1',
} as const;

/** A journal the tests can look into synchronously. */
export type TestJournal = Journal & { all(): readonly JournalRecord[] };

/** Records as the journal's read() gives them. */
export function asyncOf(records: readonly JournalRecord[]): AsyncIterable<JournalRecord> {
  return {
    [Symbol.asyncIterator]: () => {
      let i = 0;
      return {
        next: (): Promise<IteratorResult<JournalRecord>> => {
          const r = records[i++];
          return Promise.resolve(r === undefined ? { done: true, value: undefined } : { done: false, value: r });
        },
      };
    },
  };
}

/** A journal whose appends can be held (pending) until released, in order. */
export class ManualJournal implements TestJournal {
  hold = false;
  private readonly inner = new MemoryJournal();
  private readonly pending: { records: readonly JournalRecord[]; resolve: () => void; reject: (e: unknown) => void }[] = [];

  lastSeq(): number {
    return this.inner.lastSeq();
  }
  append(records: readonly JournalRecord[]): Promise<void> | void {
    if (!this.hold) return this.inner.append(records);
    return new Promise<void>((resolve, reject) => this.pending.push({ records, resolve, reject }));
  }
  read(fromSeq?: number): AsyncIterable<JournalRecord> {
    return this.inner.read(fromSeq);
  }
  all(): readonly JournalRecord[] {
    return this.inner.all();
  }
  close(): Promise<void> {
    return this.inner.close();
  }

  get pendingCount(): number {
    return this.pending.length;
  }

  /** Makes every held append durable, oldest first, and lets the engine see it. */
  async release(): Promise<void> {
    for (let p = this.pending.shift(); p; p = this.pending.shift()) {
      try {
        this.inner.append(p.records);
        p.resolve();
      } catch (e) {
        p.reject(e);
      }
    }
    await settle();
  }
}

/** A journal that fails every append once `failing` is set, as a full disk would. */
export class FailingJournal implements TestJournal {
  failing = false;
  private readonly inner = new MemoryJournal();
  lastSeq(): number {
    return this.inner.lastSeq();
  }
  append(records: readonly JournalRecord[]): Promise<void> | void {
    if (this.failing) return Promise.reject(new Error('ENOSPC: no space left on device'));
    return this.inner.append(records);
  }
  read(fromSeq?: number): AsyncIterable<JournalRecord> {
    return this.inner.read(fromSeq);
  }
  all(): readonly JournalRecord[] {
    return this.inner.all();
  }
  close(): Promise<void> {
    return this.inner.close();
  }
}

/** A ScriptedVenue that records cancels and modifies but answers them only when the test says so. */
export class HoldingVenue extends ScriptedVenue {
  readonly heldCancels: CancelRequest[] = [];
  readonly heldModifies: ModifyRequest[] = [];
  override cancel(req: CancelRequest): void {
    this.calls.push({ kind: 'cancel', clientOrderId: req.clientOrderId });
    this.heldCancels.push(req);
  }
  override modify(req: ModifyRequest): void {
    this.calls.push({ kind: 'modify', clientOrderId: req.clientOrderId });
    this.heldModifies.push(req);
  }
}

/** A venue whose submit fails after the request may have left (connection reset), sync or async. */
export class FailingVenue extends ScriptedVenue {
  constructor(
    opts: ScriptedVenueOptions,
    private readonly mode: 'throw' | 'reject',
  ) {
    super(opts);
  }
  override submit(req: SubmitRequest): void {
    this.calls.push({ kind: 'submit', clientOrderId: req.spec.clientOrderId });
    if (this.mode === 'throw') throw new Error('ECONNRESET');
    return Promise.reject(new Error('ECONNRESET')) as unknown as void;
  }
}

/** A gate that denies submits and modifies whose limit notional exceeds `maxNotional` USDT. */
export class MaxNotionalGate implements PreTradeGate {
  readonly seen: PreTradeRequest[] = [];
  constructor(private readonly maxNotional: number) {}
  check(request: PreTradeRequest, _view: EngineView): Verdict {
    this.seen.push(request);
    const qty = request.kind === 'submit' ? request.spec.quantity : (request.quantity ?? request.order.quantity);
    const px = request.kind === 'submit' ? ('price' in request.spec ? request.spec.price : undefined) : (request.price ?? request.order.price);
    if (!px) return { ok: true };
    const notional = qty.toNumber() * px.toNumber();
    if (notional <= this.maxNotional) return { ok: true };
    return {
      ok: false,
      code: 'MAX_ORDER_NOTIONAL_EXCEEDED',
      reason: `notional ${notional} exceeds ${this.maxNotional}`,
      context: { notional, limit: this.maxNotional },
    };
  }
}

export interface Harness {
  readonly engine: Engine;
  readonly clock: TestClock;
  readonly journal: TestJournal;
  readonly venue: ScriptedVenue;
  readonly alerts: EngineAlert[];
  /** Price the venue fills market orders at; change it to move the market. */
  market: { last: string | undefined };
}

export interface SetupOptions extends Partial<Omit<EngineOptions, 'clock' | 'journal'>> {
  readonly journal?: TestJournal;
  readonly venue?: (clock: TestClock, market: { last: string | undefined }) => ScriptedVenue;
  /** Starting USDT of ACC-1 (CASH); BTC starts at 0 unless btc is given. */
  readonly usdt?: string;
  readonly btc?: string;
}

export const defaultVenue = (clock: TestClock, market: { last: string | undefined }): ScriptedVenue =>
  new ScriptedVenue({ id: 'BINANCE', clock, marketPrice: () => market.last });

/**
 * An engine with BTC and ETH on BINANCE (a ScriptedVenue), XRP on KRAKEN (no venue), and two
 * CASH accounts: ACC-1 with 1,000,000 USDT and 10 BTC, ACC-2 with 50,000 USDT. Journal seq 1..5.
 */
export async function setup(opts: SetupOptions = {}): Promise<Harness> {
  const clock = new TestClock(T0);
  const journal = opts.journal ?? new MemoryJournal();
  const market: { last: string | undefined } = { last: '24100.00' };
  const { venue: makeVenue, usdt, btc, journal: _j, ...engineOpts } = opts;
  const engine = new Engine({ ...engineOpts, clock, journal });
  const venue = (makeVenue ?? defaultVenue)(clock, market);
  engine.addVenue(venue);
  const alerts: EngineAlert[] = [];
  engine.bus.subscribe('alert', (a) => alerts.push(a));
  await engine.registerInstrument(BTC_SPEC);
  await engine.registerInstrument(ETH_SPEC);
  await engine.registerInstrument(XRP_SPEC);
  const balances = [Money.of(usdt ?? '1000000', Currencies.USDT)];
  if (btc !== '0') balances.push(Money.of(btc ?? '10', Currencies.BTC));
  await engine.openAccount({ id: 'ACC-1', type: 'CASH', balances });
  await engine.openAccount({ id: 'ACC-2', type: 'CASH', balances: [Money.of('50000', Currencies.USDT)] });
  return { engine, clock, journal, venue, alerts, market };
}

export function marketBuy(id: string, quantity: string, extra: Partial<OrderRequest> = {}): OrderRequest {
  return { clientOrderId: id, accountId: 'ACC-1', strategyId: 's1', instrumentId: BTC, side: 'BUY', type: 'MARKET', quantity, ...extra };
}

export function limit(id: string, side: 'BUY' | 'SELL', quantity: string, price: string, extra: Partial<OrderRequest> = {}): OrderRequest {
  return { clientOrderId: id, accountId: 'ACC-1', strategyId: 's1', instrumentId: BTC, side, type: 'LIMIT', quantity, price, ...extra };
}

export function kinds(records: readonly JournalRecord[]): string[] {
  return records.map((r) => r.event.kind);
}

/** Journal records after `seq`. */
export function recordsAfter(journal: TestJournal, seq: number): JournalRecord[] {
  return journal.all().filter((r) => r.seq > seq);
}

/** The canonical state of an engine: what a replay of its journal must rebuild exactly. */
export function snapshot(engine: Engine) {
  return {
    lastSeq: engine.lastSeq,
    orders: [...engine.state.orders.values()].map((o) => ({
      id: o.clientOrderId,
      status: o.status,
      filledQty: o.filledQty.toString(),
      quantity: o.quantity.toString(),
      price: o.price?.toString(),
      venueOrderId: o.venueOrderId,
      fillCostRaw: o.fillCostRaw,
    })),
    openOrders: [...engine.state.openOrders.keys()],
    positions: engine.portfolio.allPositions().map((p) => ({ id: p.id, signedQtyRaw: p.signedQtyRaw, costRaw: p.costRaw, realizedRaw: p.realizedRaw })),
    balances: engine.portfolio.allAccounts().map((a) => ({
      account: a.id,
      balances: a.balances().map((b) => ({ ccy: b.currency.code, total: b.total.raw, locked: b.locked.raw })),
    })),
  };
}

/** Everything a refused command must leave untouched. */
export function observe(h: Harness) {
  return {
    journalLength: h.journal.all().length,
    lastSeq: h.engine.lastSeq,
    orders: h.engine.state.orders.size,
    venueCalls: h.venue.calls.length,
    snapshot: snapshot(h.engine),
  };
}

/** Lets queued microtasks and one macrotask turn run. */
export function settle(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
