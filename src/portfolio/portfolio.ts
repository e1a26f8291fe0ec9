import type { Currency } from '../model/currency.ts';
import { LookupError, StateError } from '../model/errors.ts';
import type { AccountId, InstrumentId, PositionId, StrategyId } from '../model/identifiers.ts';
import type { Instrument } from '../model/instrument.ts';
import { Money, MoneyBag, type RawAmount } from '../model/money.ts';
import type { OrderFilled } from '../model/orders/events.ts';
import type { Order } from '../model/orders/order.ts';
import { pow10 } from '../model/decimal.ts';
import { Price, Quantity } from '../model/values.ts';
import { RetentionWindow } from '../model/retention-window.ts';
import { Account, type AccountSnapshot, type AccountType } from './account.ts';
import { hedgingPositionId, nettingPositionId } from './position-id.ts';
import { Position, type PositionChange, type PositionMode, type PositionSnapshot } from './position.ts';

export type MarkPriceType = 'LAST' | 'BID_ASK' | 'MID';

export interface MarketQuote {
  readonly last?: Price;
  readonly bid?: Price;
  readonly ask?: Price;
  /** When the newest of its prices was seen, epoch ms. */
  readonly ts?: number;
  /**
   * When each price was seen, epoch ms (undefined: undated). Updates are merged field by field,
   * so a price keeps the time of the update that brought it: the risk gate judges the age of the
   * price it uses, never the quote's newest time.
   */
  readonly lastTs?: number;
  readonly bidTs?: number;
  readonly askTs?: number;
}

export interface TradeStats {
  /** Round trips: a position going from flat back to flat (a flip ends one and starts another). */
  closedTrades: number;
  winners: number;
  losers: number;
  readonly realized: MoneyBag;
  readonly commissions: MoneyBag;
}

export interface PortfolioStatistics {
  readonly openPositions: number;
  readonly closedTrades: number;
  /** Round trips whose realized PnL net of their commissions is above zero; the rest are losers. */
  readonly winners: number;
  readonly losers: number;
  /** winners / closedTrades (undefined before the first round trip). */
  readonly winRate: number | undefined;
  readonly realized: Money[];
  readonly commissions: Money[];
}

function newStats(): TradeStats {
  return { closedTrades: 0, winners: 0, losers: 0, realized: new MoneyBag(), commissions: new MoneyBag() };
}

/**
 * Everything the ledger holds, for a state snapshot. Marks are left out (they are not journaled,
 * so a replay has none either) and so is the NETTING id cache (derived on demand).
 */
export interface PortfolioSnapshot {
  readonly accounts: readonly AccountSnapshot[];
  readonly positions: readonly PositionSnapshot[];
  /** The flat positions in the retention window, oldest first. */
  readonly closedPositions: readonly PositionId[];
  /** Trade statistics by strategy ('*' is the total), in insertion order. */
  readonly stats: readonly {
    readonly key: StrategyId | '*';
    readonly closedTrades: number;
    readonly winners: number;
    readonly losers: number;
    readonly realized: readonly RawAmount[];
    readonly commissions: readonly RawAmount[];
  }[];
}

export interface PortfolioOptions {
  readonly markPriceType?: MarkPriceType;
  /** Flat positions kept in memory (hedging mode opens one per entry order); the journal keeps all. */
  readonly retainClosedPositions?: number;
}

/**
 * Accounts, positions and PnL: a fold over account events and fills. Marks (market prices) only
 * feed unrealized PnL, equity and exposure; they never change the ledger.
 */
export class Portfolio {
  readonly markPriceType: MarkPriceType;
  private readonly accounts = new Map<AccountId, Account>();
  private readonly positions = new Map<PositionId, Position>();
  private closedPositions: RetentionWindow<PositionId>;
  /** NETTING position ids by account, instrument and strategy, so a fill does not build the string again. */
  private readonly nettingIds = new Map<AccountId, Map<InstrumentId, Map<StrategyId, PositionId>>>();
  private readonly marks = new Map<InstrumentId, MarketQuote>();
  private total = newStats();
  private readonly stats = new Map<StrategyId | '*', TradeStats>([['*', this.total]]);

  constructor(opts: PortfolioOptions = {}) {
    this.markPriceType = opts.markPriceType ?? 'LAST';
    this.closedPositions = new RetentionWindow(opts.retainClosedPositions ?? 10_000);
  }

  toSnapshot(): PortfolioSnapshot {
    return {
      accounts: [...this.accounts.values()].map((a) => a.toSnapshot()),
      positions: [...this.positions.values()].map((p) => p.toSnapshot()),
      closedPositions: this.closedPositions.toSnapshot(),
      stats: [...this.stats].map(([key, s]) => ({
        key,
        closedTrades: s.closedTrades,
        winners: s.winners,
        losers: s.losers,
        realized: s.realized.toSnapshot(),
        commissions: s.commissions.toSnapshot(),
      })),
    };
  }

  /** Loads a snapshot into this portfolio, which must be empty; `instrument` resolves position instruments. */
  restore(s: PortfolioSnapshot, instrument: (id: InstrumentId) => Instrument): void {
    if (this.accounts.size > 0 || this.positions.size > 0 || this.total.closedTrades > 0) throw new RangeError('a snapshot loads into an empty portfolio only');
    for (const a of s.accounts) {
      if (this.accounts.has(a.id)) throw new RangeError(`snapshot repeats account ${a.id}`);
      this.accounts.set(a.id, Account.fromSnapshot(a));
    }
    for (const p of s.positions) {
      if (this.positions.has(p.id)) throw new RangeError(`snapshot repeats position ${p.id}`);
      if (!this.accounts.has(p.accountId)) throw new RangeError(`position ${p.id} names unknown account ${p.accountId}`);
      this.positions.set(p.id, Position.fromSnapshot(p, instrument(p.instrumentId)));
    }
    for (const id of s.closedPositions) {
      const p = this.positions.get(id);
      if (!p?.retained || p.isOpen) throw new RangeError(`retained position ${id} is not a flat, retained position`);
    }
    this.closedPositions = RetentionWindow.fromSnapshot(this.closedPositions.capacity, s.closedPositions);
    this.stats.clear();
    for (const x of s.stats) {
      if (this.stats.has(x.key)) throw new RangeError(`snapshot repeats statistics of ${x.key}`);
      this.stats.set(x.key, {
        closedTrades: x.closedTrades,
        winners: x.winners,
        losers: x.losers,
        realized: MoneyBag.fromSnapshot(x.realized),
        commissions: MoneyBag.fromSnapshot(x.commissions),
      });
    }
    const total = this.stats.get('*');
    if (!total) throw new RangeError('snapshot has no total statistics');
    this.total = total;
  }

  /** How many flat positions the retention window keeps. */
  get retainClosedPositions(): number {
    return this.closedPositions.capacity;
  }

  openAccount(id: AccountId, type: AccountType, mode: PositionMode, balances: readonly Money[]): Account {
    if (this.accounts.has(id)) throw new LookupError('DUPLICATE_REGISTRATION', `account ${id} is already open`, { accountId: id });
    const a = new Account(id, type, mode);
    for (const b of balances) a.adjust(b);
    this.accounts.set(id, a);
    return a;
  }

  account(id: AccountId): Account {
    const a = this.accounts.get(id);
    if (!a) throw new LookupError('UNKNOWN_ACCOUNT', `unknown account ${id}`, { accountId: id });
    return a;
  }

  hasAccount(id: AccountId): boolean {
    return this.accounts.has(id);
  }

  allAccounts(): Account[] {
    return [...this.accounts.values()];
  }

  /**
   * The position a fill of `order` goes to: one per account, instrument and strategy (NETTING) or
   * per entry order (HEDGING); see position-id.ts.
   */
  positionIdFor(order: Order): PositionId {
    const s = order.spec;
    if (s.positionId) return s.positionId;
    const mode = this.account(s.accountId).positionMode;
    switch (mode) {
      case 'NETTING': {
        let byInstrument = this.nettingIds.get(s.accountId);
        if (!byInstrument) this.nettingIds.set(s.accountId, (byInstrument = new Map<InstrumentId, Map<StrategyId, PositionId>>()));
        let byStrategy = byInstrument.get(s.instrumentId);
        if (!byStrategy) byInstrument.set(s.instrumentId, (byStrategy = new Map<StrategyId, PositionId>()));
        let id = byStrategy.get(s.strategyId);
        if (!id) byStrategy.set(s.strategyId, (id = nettingPositionId(s.accountId, s.instrumentId, s.strategyId)));
        return id;
      }
      case 'HEDGING':
        return hedgingPositionId(s.accountId, s.instrumentId, s.strategyId, s.clientOrderId);
    }
  }

  position(id: PositionId): Position | undefined {
    return this.positions.get(id);
  }

  openPositions(): Position[] {
    return [...this.positions.values()].filter((p) => p.isOpen);
  }

  allPositions(): Position[] {
    return [...this.positions.values()];
  }

  /** Books a fill: position, cash and commissions. */
  applyFill(fill: OrderFilled, instrument: Instrument): { position: Position; change: PositionChange } {
    const account = this.account(fill.accountId);
    if (instrument.id !== fill.instrumentId) {
      throw new StateError('FILL_MISMATCH', `fill ${fill.tradeId} of ${fill.instrumentId} booked against instrument ${instrument.id}`, {
        tradeId: fill.tradeId,
        instrumentId: fill.instrumentId,
      });
    }
    // The fill on the instrument's precision: an exact finer value is rescaled, anything else is
    // rejected (PRECISION_EXCEEDED) here, before anything is booked.
    const lastQty = Quantity.of(fill.lastQty, instrument.sizePrecision);
    const lastPx = Price.of(fill.lastPx, instrument.pricePrecision);
    let position = this.positions.get(fill.positionId);
    if (!position) {
      position = new Position(fill.positionId, fill.accountId, fill.strategyId, instrument);
      this.positions.set(fill.positionId, position);
    } else if (position.instrumentId !== fill.instrumentId || position.accountId !== fill.accountId) {
      throw new StateError('FILL_MISMATCH', `fill ${fill.tradeId} names position ${fill.positionId} of another instrument or account`, {
        tradeId: fill.tradeId,
        positionId: fill.positionId,
      });
    }
    const change = position.applyFill(fill);

    // Cash: a CASH account pays or receives the notional (and a spot base balance moves by the
    // quantity); a MARGIN account books realized PnL only. Commissions always leave the account.
    if (account.type === 'CASH') {
      const n = instrument.notionalRaw(lastQty, lastPx) * pow10(instrument.settlement.precision - instrument.notionalScale);
      account.adjustRaw(instrument.settlement, fill.side === 'BUY' ? -n : n);
      if (instrument.kind === 'SPOT' && instrument.base) {
        const baseRaw = lastQty.raw * pow10(instrument.base.precision - lastQty.precision);
        account.adjustRaw(instrument.base, fill.side === 'BUY' ? baseRaw : -baseRaw);
      }
    } else if (change.realizedRaw !== 0n) {
      account.adjustRaw(instrument.settlement, change.realizedRaw);
    }
    if (fill.commission.raw !== 0n) account.adjustRaw(fill.commission.currency, -fill.commission.raw);

    this.addStats(this.total, fill, change, instrument);
    let own = this.stats.get(fill.strategyId);
    if (!own) this.stats.set(fill.strategyId, (own = newStats()));
    this.addStats(own, fill, change, instrument);
    if (!position.isOpen) this.retire(position);
    else if (position.retained) {
      position.retained = false;
      this.closedPositions.remove(position.id);
    }
    return { position, change };
  }

  private addStats(s: TradeStats, fill: OrderFilled, change: PositionChange, instrument: Instrument): void {
    s.commissions.add(fill.commission);
    if (change.realizedRaw !== 0n) s.realized.addRaw(instrument.settlement, change.realizedRaw);
    if (change.closedCycle) {
      s.closedTrades++;
      if (change.closedCycle.realizedRaw - change.closedCycle.commissionRaw > 0n) s.winners++;
      else s.losers++;
    }
  }

  updateLock(order: Order, instrument: Instrument): void {
    this.account(order.spec.accountId).updateLock(order, instrument);
  }

  /** A flat position joins the retention window of the last N flat positions. */
  private retire(position: Position): void {
    position.retained = true;
    for (const evicted of this.closedPositions.add(position.id)) this.positions.delete(evicted);
  }

  // ---- marks, equity and exposure (analytics; never the ledger) ----

  /** The latest quote seen for an instrument, with its time. */
  quote(instrumentId: InstrumentId): MarketQuote | undefined {
    return this.marks.get(instrumentId);
  }

  /** Merges an update: each price it brings is stamped with its own time (else the update's `ts`), the others keep theirs. */
  mark(instrumentId: InstrumentId, quote: MarketQuote): void {
    const prev = this.marks.get(instrumentId);
    const ts = quote.ts;
    this.marks.set(instrumentId, {
      last: quote.last ?? prev?.last,
      bid: quote.bid ?? prev?.bid,
      ask: quote.ask ?? prev?.ask,
      ts: ts ?? prev?.ts,
      lastTs: quote.last !== undefined ? (quote.lastTs ?? ts) : prev?.lastTs,
      bidTs: quote.bid !== undefined ? (quote.bidTs ?? ts) : prev?.bidTs,
      askTs: quote.ask !== undefined ? (quote.askTs ?? ts) : prev?.askTs,
    });
  }

  /** The mark for a position: last, or bid for a long / ask for a short, or mid; else the last fill price. */
  markFor(p: Position): Price | undefined {
    const q = this.marks.get(p.instrumentId);
    let px: Price | undefined;
    switch (this.markPriceType) {
      case 'LAST':
        px = q?.last;
        break;
      case 'BID_ASK':
        px = p.signedQtyRaw >= 0n ? q?.bid : q?.ask;
        break;
      case 'MID':
        if (q?.bid && q.ask) {
          const sum = q.bid.add(q.ask);
          px = Price.fromRaw(sum.raw * 5n, sum.precision + 1);
        }
        break;
    }
    return px ?? q?.last ?? p.lastFillPx;
  }

  unrealizedPnl(p: Position): Money {
    const m = this.markFor(p);
    return Money.fromRaw(m ? p.unrealizedRaw(m) : 0n, p.instrument.settlement);
  }

  /** Equity in `c`: cash plus open positions at their marks (CASH), or cash plus unrealized PnL (MARGIN). */
  equity(accountId: AccountId, c: Currency): Money {
    return Money.fromRaw(this.equityRaw(accountId, c), c);
  }

  /** equity() as raw units of `c`, building nothing (a backtest reads it every bar). */
  equityRaw(accountId: AccountId, c: Currency): bigint {
    const a = this.account(accountId);
    let raw = a.totalRaw(c);
    const cash = a.type === 'CASH';
    for (const p of this.positions.values()) {
      if (!p.isOpen || p.accountId !== accountId || p.instrument.settlement.code !== c.code) continue;
      const m = this.markFor(p);
      if (!m) continue;
      raw += cash ? p.marketValueRaw(m) : p.unrealizedRaw(m);
    }
    return raw;
  }

  /** Gross (sum of absolute) and net (signed) market value of open positions settled in `c`. */
  exposure(accountId: AccountId | undefined, c: Currency): { gross: Money; net: Money } {
    let gross = 0n;
    let net = 0n;
    for (const p of this.positions.values()) {
      if (!p.isOpen || p.instrument.settlement.code !== c.code || (accountId && p.accountId !== accountId)) continue;
      const m = this.markFor(p);
      if (!m) continue;
      const v = p.marketValueRaw(m);
      net += v;
      gross += v < 0n ? -v : v;
    }
    return { gross: Money.fromRaw(gross, c), net: Money.fromRaw(net, c) };
  }

  /** Realized, unrealized and commissions per strategy, in `c`. */
  pnlByStrategy(c: Currency): Map<StrategyId, { realized: Money; unrealized: Money; commissions: Money }> {
    const out = new Map<StrategyId, { realized: Money; unrealized: Money; commissions: Money }>();
    for (const [key, s] of this.stats) {
      if (key === '*') continue;
      out.set(key, { realized: s.realized.get(c), unrealized: Money.zero(c), commissions: s.commissions.get(c) });
    }
    for (const p of this.positions.values()) {
      if (!p.isOpen || p.instrument.settlement.code !== c.code) continue;
      const row = out.get(p.strategyId);
      if (row) row.unrealized = row.unrealized.add(this.unrealizedPnl(p));
    }
    return out;
  }

  statistics(strategy?: StrategyId): PortfolioStatistics {
    const s = this.stats.get(strategy ?? '*') ?? newStats();
    return {
      openPositions: [...this.positions.values()].filter((p) => p.isOpen && (!strategy || p.strategyId === strategy)).length,
      closedTrades: s.closedTrades,
      winners: s.winners,
      losers: s.losers,
      winRate: s.closedTrades === 0 ? undefined : s.winners / s.closedTrades,
      realized: s.realized.entries(),
      commissions: s.commissions.entries(),
    };
  }

  /** Deposits and withdrawals. A withdrawal may not take free balance below zero. */
  adjustBalance(accountId: AccountId, amount: Money): void {
    const a = this.account(accountId);
    a.checkAdjustment(amount);
    a.adjust(amount);
  }
}
