import { assertNever, AuthorityError, EngineError, LookupError, shown, StateError, ValidationError, WardenError, type ErrorContext } from '../model/errors.ts';
import type { AlertCode } from './alert-codes.ts';
import { accountId, clientOrderId, instrumentId, instrumentId as instrumentIdOf, strategyId, type ClientOrderId, type InstrumentId, type VenueId, type VenueOrderId } from '../model/identifiers.ts';
import type { Instrument, InstrumentSpec } from '../model/instrument.ts';
import type { Money } from '../model/money.ts';
import type { OrderEvent } from '../model/orders/events.ts';
import { checkOrderLimits, createOrderSpec, type OrderRequest } from '../model/orders/factory.ts';
import type { Order } from '../model/orders/order.ts';
import type { OrderSpec } from '../model/orders/types.ts';
import type { NumericInput } from '../model/decimal.ts';
import { Price, type Quantity } from '../model/values.ts';
import { plainUnits } from '../model/plain-decimal.ts';
import type { AccountType } from '../portfolio/account.ts';
import type { Portfolio } from '../portfolio/portfolio.ts';
import type { PositionMode } from '../portfolio/position.ts';
import { reservedTag } from './reserved-tags.ts';
import { MessageBus } from './bus.ts';
import { OperatorAuthority, originText, SYSTEM, type Operator, type Origin } from './origin.ts';
import { requireOwner, requireSubmitter } from './order-authority.ts';
import { riskEventRefusal } from './risk-authority.ts';
import type { Clock } from './clock.ts';
import { auditOfCommand, type Command, type CommandAudit, type CommandKind, type PriorDenial } from './commands.ts';
import { priorDenial } from './prior-denial.ts';
import { isScreened, type ScreenedCommand, type SubmitScreen } from './submit-screen.ts';
import { planProposal, type ProposalInput } from './advisor/commands.ts';
import type { EngineEvent, JournalRecord } from './events.ts';
import { checkSubmits, NoopGate, type EngineView, type PreTradeGate } from './gate.ts';
import { MemoryJournal, type Journal } from './journal.ts';
import { checkJournaledIds } from './journaled-ids.ts';
import { requireMoney, requireObject, requireText } from './input-guards.ts';
import { ReduceOnlyGuard } from './reduce-only-guard.ts';
import { deadOrderVerdict, isDeadStatus } from './dead-orders.ts';
import { reportToEvent } from './reports.ts';
import { requireVenueList } from './order-lists.ts';
import { submitPlan, type Denial, type Plan, type PlannedCall, type PreparedSubmit } from './submit-plan.ts';
import { requireOwnPosition } from '../portfolio/position-id.ts';
import type { RiskState } from './risk-state/risk-state.ts';
import type { RiskEvent } from './risk-state/events.ts';
import type { EmulationEvent } from './emulation/events.ts';
import type { AlgoEvent } from './algos/events.ts';
import type { Bar } from '../model/bar.ts';
import type { Trade } from '../model/trade.ts';
import { EngineState, type EngineStateOptions } from './state.ts';
import { hasSnapshots, type SnapshotCodec, type SnapshotStore } from './snapshot.ts';
import type { EngineTopics } from './topics.ts';
import type { MarketStatuses } from './markets/market-statuses.ts';
import { planInstrumentUpdate, planMarketStatus, requireMarketAuthority, type MarketStatusUpdate } from './markets/market-commands.ts';
import { reportGridFor } from './markets/order-grid.ts';
import { planAudit } from './audit/audit-commands.ts';
import type { AuditInput } from './audit/events.ts';
import { planAdvisorConsulted } from './advisor/advisor-commands.ts';
import type { AdvisorConsultationInput, AdvisorOutcome } from './advisor/events.ts';
import type { OrderListShape, Venue, VenueReport } from './venue.ts';

export interface EngineOptions extends EngineStateOptions {
  readonly clock: Clock;
  readonly journal?: Journal;
  readonly gate?: PreTradeGate;
  readonly bus?: MessageBus<EngineTopics>;
  /** Issues and recognises operator credentials; default a new one (the composition root keeps it). */
  readonly authority?: OperatorAuthority;
}

export interface RecoverOptions extends Omit<EngineOptions, 'journal'> {
  /** The snapshot text format (JSON_SNAPSHOTS from src/journal/snapshot.ts). */
  readonly snapshotCodec: SnapshotCodec;
}

export interface RecoveryInfo {
  /** The snapshot loaded (its seq), or undefined for a full replay. */
  readonly snapshotSeq: number | undefined;
  /** Journal records folded after it (all of them in a full replay). */
  readonly replayed: number;
  /** Why a snapshot present was not used, if so. */
  readonly fallback: string | undefined;
}

export type { Denial } from './submit-plan.ts';

/** A command's outcome, returned once its events are durable. Bad input rejects with a WardenError instead. */
export interface CommandResult {
  readonly command: CommandKind;
  readonly records: readonly JournalRecord[];
  readonly orders: readonly Order[];
  readonly denied: readonly Denial[];
}

/**
 * The single writer. Commands and venue reports become events; each event is applied to the
 * state (a fold, see EngineState), numbered, and appended to the journal. A command resolves,
 * and its venue calls go out, only after its events are durable.
 */
export class Engine implements EngineView {
  readonly state: EngineState;
  readonly bus: MessageBus<EngineTopics>;
  readonly journal: Journal;
  /** The node's operator authority: RiskControl and the engine verify credentials against it. */
  readonly authority: OperatorAuthority;
  private readonly clock: Clock;
  private readonly gate: PreTradeGate;
  private readonly venues = new Map<VenueId, Venue>();
  private seq: number;
  private stopped: WardenError | undefined;
  /** The one check in front of the gate that may wait (the firm budget): see submit-screen.ts. */
  private screen: SubmitScreen | undefined;
  /** Bound once: a journal that cannot answer whether an id was used is a journal that failed; a duplicate is just refused. */
  private readonly idLookupFailed = (e: unknown): never => {
    throw e instanceof WardenError && e.code === 'DUPLICATE_CLIENT_ORDER_ID' ? e : this.halt(e);
  };
  /** Keeps reduce-only orders within their positions on live fills (src/engine/reduce-only.ts decides). */
  readonly reduceOnly: ReduceOnlyGuard = new ReduceOnlyGuard(this);
  /** Bound once: a venue report the state refused, or could not journal. */
  private readonly reportFailed = (e: unknown): void => {
    const err = e as WardenError;
    this.alert(err.code ?? 'BAD_REPORT', `venue report not applied: ${err.message}`, err.context ?? {});
  };

  constructor(opts: EngineOptions) {
    this.clock = opts.clock;
    this.journal = opts.journal ?? new MemoryJournal();
    this.gate = opts.gate ?? new NoopGate();
    this.bus = opts.bus ?? new MessageBus<EngineTopics>();
    this.authority = opts.authority ?? new OperatorAuthority();
    this.state = new EngineState(opts, this.bus);
    this.seq = this.journal.lastSeq();
  }

  /** Rebuilds an engine by folding every journaled event; it then goes on appending to the same journal. */
  static async fromJournal(journal: Journal, opts: Omit<EngineOptions, 'journal'>): Promise<Engine> {
    const engine = new Engine({ ...opts, journal });
    engine.seq = 0;
    const replayed = await engine.fold(1, engine.gate, engine);
    engine.recovery = { snapshotSeq: undefined, replayed, fallback: undefined };
    return engine;
  }

  /**
   * Rebuilds an engine from the journal's latest snapshot (decoded with `opts.snapshotCodec`) and
   * a fold of only the records after it; with no snapshot, a full replay (fromJournal). A snapshot
   * taken with other state options (retention, overfill policy, mark type) is not loaded: the
   * engine is rebuilt by a full replay and `recovery.fallback` says why. A snapshot of a newer
   * format refuses (JOURNAL_SCHEMA_NEWER), a malformed one JOURNAL_CORRUPT.
   *
   * The gate's running figures are not in the snapshot. A gate with `observe` is rebuilt by
   * folding the journal up to the snapshot on a scratch state, calling `observe` with that state
   * as its view, as a full replay would (its figures depend on the state at each event); the tail
   * is then observed on the recovered engine. So with such a gate recovery still reads the whole
   * journal, but the engine's own state comes from the snapshot.
   */
  static async recover(journal: Journal & Partial<SnapshotStore>, opts: RecoverOptions): Promise<Engine> {
    const { snapshotCodec, ...engineOpts } = opts;
    const stored = hasSnapshots(journal) ? await journal.latestSnapshot() : undefined;
    if (!stored) return Engine.fromJournal(journal, engineOpts);
    const snap = snapshotCodec.decode(stored.body, stored.version);
    if (snap.seq !== stored.seq || snap.seq > journal.lastSeq()) {
      throw new EngineError('JOURNAL_CORRUPT', `snapshot stored at seq ${stored.seq} holds seq ${snap.seq}; the journal ends at ${journal.lastSeq()}`, {
        seq: stored.seq,
        actual: snap.seq,
      });
    }
    const engine = new Engine({ ...engineOpts, journal });
    const mine = engine.state.snapshotOptions;
    const differs = (Object.keys(mine) as (keyof typeof mine)[]).find((k) => mine[k] !== snap.options[k]);
    if (differs) {
      const full = await Engine.fromJournal(journal, engineOpts);
      full.recovery = { snapshotSeq: undefined, replayed: full.recovery?.replayed ?? 0, fallback: `snapshot at seq ${snap.seq} was taken with another ${differs}` };
      return full;
    }
    try {
      engine.state.restore(snap);
    } catch (e) {
      throw new EngineError('JOURNAL_CORRUPT', `snapshot at seq ${snap.seq} cannot be loaded: ${(e as Error).message}`, { seq: snap.seq });
    }
    if (engine.gate.observe) {
      // The gate's figures: a fold of the journal up to the snapshot on a scratch state.
      const scratch = new Engine({ ...engineOpts, journal, gate: engine.gate, bus: new MessageBus<EngineTopics>() });
      scratch.seq = 0;
      await scratch.fold(1, engine.gate, scratch, snap.seq);
    }
    engine.seq = snap.seq;
    const replayed = await engine.fold(snap.seq + 1, engine.gate, engine);
    engine.recovery = { snapshotSeq: snap.seq, replayed, fallback: undefined };
    return engine;
  }

  /** How this engine was rebuilt: from which snapshot, and how many records were folded after it. */
  recovery: RecoveryInfo | undefined;

  /** Folds journal records from `fromSeq` (up to `toSeq`) into the state, telling the gate; returns how many. */
  private async fold(fromSeq: number, gate: PreTradeGate, view: EngineView, toSeq = Infinity): Promise<number> {
    let n = 0;
    for await (const r of this.journal.read(fromSeq)) {
      if (r.seq > toSeq) break;
      if (r.seq !== this.seq + 1) {
        throw new EngineError('JOURNAL_CORRUPT', `journal record ${r.seq} follows ${this.seq}`, { expected: this.seq + 1, actual: r.seq });
      }
      try {
        const event = this.state.current(r.event);
        this.state.apply(event);
        if (gate.observe) gate.observe(event, view);
      } catch (e) {
        throw new EngineError('JOURNAL_CORRUPT', `journal record ${r.seq} (${r.event.kind}) cannot be applied: ${(e as Error).message}`, {
          seq: r.seq,
        });
      }
      this.seq = r.seq;
      n++;
    }
    if (toSeq !== Infinity && this.seq !== toSeq) {
      throw new EngineError('JOURNAL_CORRUPT', `journal ends at ${this.seq}, before ${toSeq}`, { expected: toSeq, actual: this.seq });
    }
    return n;
  }

  get portfolio(): Portfolio {
    return this.state.portfolio;
  }
  get risk(): RiskState {
    return this.state.risk;
  }
  get markets(): MarketStatuses {
    return this.state.markets;
  }

  /**
   * Journals risk events (trading states, breakers, the kill switch) for RiskControl, the
   * connection guard and reconciliation. The engine refuses (NOT_AUTHORIZED, nothing journaled) an
   * event its origin may not send: lifting the kill switch or resetting a breaker by hand needs an
   * issued operator credential, loosening a trading state an operator or the kind of source that
   * set it (riskEventRefusal). The default origin SYSTEM is the composition root's: it may tighten
   * anything and lift only what SYSTEM-side sources set.
   */
  async recordRisk(events: readonly RiskEvent[], origin: Origin = SYSTEM): Promise<void> {
    const from = this.authority.check(origin, 'recordRisk');
    // Checked against the state before the batch: a batch cannot tighten and then lift under one origin.
    for (const e of events) {
      const refusal = riskEventRefusal(e, from, this.state.risk, this.authority);
      if (refusal) throw new AuthorityError('NOT_AUTHORIZED', refusal.message, refusal.context);
    }
    await this.commit(events);
  }

  /**
   * Journals emulation events (held orders, contingent groups). For the OrderEmulator, which
   * decides; the engine only records, so they survive a restart.
   */
  async recordEmulation(events: readonly EmulationEvent[]): Promise<void> {
    await this.commit(events);
  }

  /**
   * Journals execution-algorithm events (started, slice sent, child cancel asked, resumed, ended).
   * For ExecutionAlgorithms, which decides; applied at once, durable when the promise settles.
   */
  async recordAlgos(events: readonly AlgoEvent[]): Promise<void> {
    await this.commit(events);
  }

  /**
   * Journals one key of a strategy's persisted state (`value`: JSON text; undefined deletes it),
   * so a restarted strategy continues with it. A STRATEGY origin writes only its own state
   * (NOT_OWN_ORDER's sibling: NOT_AUTHORIZED); sizes are limited (STRATEGY_STATE_TOO_LARGE).
   * Refused writes change nothing.
   */
  async recordStrategyState(strategyId: string, key: string, value: string | undefined, origin: Origin = SYSTEM): Promise<void> {
    const from = this.authority.check(origin, 'recordStrategyState');
    if (from.kind === 'STRATEGY' && from.strategyId !== strategyId) {
      throw new AuthorityError('NOT_AUTHORIZED', `strategy ${from.strategyId} may write only its own state, not that of ${strategyId}`, { strategyId: from.strategyId });
    }
    if (from.kind === 'RISK_CONTROL' || from.kind === 'RECONCILIATION') throw new AuthorityError('NOT_AUTHORIZED', `${from.kind} does not write strategy state`, {});
    requireText(strategyId, 'strategyId');
    const refusal = this.state.strategies.refusal(strategyId, key, value);
    if (refusal) throw refusal;
    const t = this.clock.now();
    await this.commit([{ kind: 'StrategyStateSet', strategyId, key, value, tsEvent: t, tsInit: t }]);
  }

  /**
   * Journals one audit record (AuditRecorded): a mutating call made through the API, or a login
   * attempt, with principal, roles, source address, action, target and outcome. An operator
   * records only its own actions (the principal is its identity); SYSTEM (the server, for callers
   * not authenticated) any; a strategy, risk control or reconciliation none (NOT_AUTHORIZED).
   * Fields are short and of fixed forms (INVALID_FIELD otherwise, nothing journaled): there is no
   * free-form body a secret could travel in. The fold keeps nothing of it.
   */
  async recordAudit(entry: AuditInput, origin: Origin = SYSTEM): Promise<void> {
    const from = this.authority.check(origin, 'recordAudit');
    await this.commit([planAudit(entry, from, this.clock.now())]);
  }

  /**
   * Journals one advisor consultation (AdvisorConsulted, FAULTS 36) and resolves with its record:
   * its sequence number is the consultation's id (`adv-<seq>`). One that did not end OK is alerted
   * once durable (ADVISOR_INVALID, ADVISOR_TIMEOUT, ...). SYSTEM or an operator may journal one; a
   * strategy, risk control or reconciliation not (NOT_AUTHORIZED); a field out of form is refused
   * (INVALID_FIELD) and nothing journaled. The fold keeps nothing of it.
   */
  async recordAdvisorConsultation(input: AdvisorConsultationInput, origin: Origin = SYSTEM): Promise<JournalRecord> {
    const from = this.authority.check(origin, 'recordAdvisorConsultation');
    const [record] = await this.commit([planAdvisorConsulted(input, from, this.clock.now())]);
    if (input.outcome !== 'OK') {
      this.alert(advisorAlert(input.outcome), `advisor ${input.task} (${input.tier}, ${input.provider} ${input.model}) gave no advice: ${input.outcome}`, {
        id: `adv-${record!.seq}`,
        task: input.task,
        tier: input.tier,
        provider: input.provider,
        model: input.model,
        outcome: input.outcome,
      });
    }
    return record!;
  }

  /**
   * Journals an advisor proposal (SYSTEM only: the node's advisor) or an operator's rejection of
   * one (src/engine/advisor/commands.ts). The fold keeps nothing of them.
   */
  async recordProposal(input: ProposalInput, origin: Origin = SYSTEM): Promise<void> {
    const from = this.authority.check(origin, 'recordProposal');
    await this.commit([planProposal(input, from, this.clock.now())]);
  }

  /**
   * Journals what a venue says of itself (no `instrumentId`) or of one of its markets (FAULTS 34):
   * MAINTENANCE, CLOSED (outside the session), HALTED (stopped by the venue), or OPEN again. While
   * a venue or market is not OPEN the risk gate denies new orders and modifies that add risk there
   * (VENUE_UNAVAILABLE for MAINTENANCE, else MARKET_CLOSED); cancels pass. Once durable the change
   * is alerted (MARKET_STATUS_CHANGED) and published on the bus's `marketStatus` topic, which the
   * strategy host hands to strategies (Strategy.onMarketStatus). Repeating the status in force
   * journals nothing and resolves false, so a venue's status can be polled. A strategy may not set
   * one (NOT_AUTHORIZED); an operator needs the RISK role.
   */
  async setMarketStatus(update: MarketStatusUpdate, origin: Origin = SYSTEM): Promise<boolean> {
    const from = this.authority.check(origin, 'setMarketStatus');
    requireMarketAuthority(from, this.authority, 'set a market status');
    const event = planMarketStatus(update, from, {
      markets: this.state.markets,
      instrument: (id) => this.state.instrument(id),
      knownVenue: (v) => this.venues.has(v as VenueId) || [...this.state.instruments.values()].some((i) => i.venue === v),
      now: this.clock.now(),
    });
    if (!event) return false;
    await this.commit([event]);
    const where = event.instrumentId ?? `venue ${event.venue}`;
    this.alert('MARKET_STATUS_CHANGED', `${where} is ${event.status} (${event.origin}): ${event.reason}`, {
      venue: event.venue,
      instrumentId: event.instrumentId ?? null,
      status: event.status,
      reason: event.reason,
    });
    this.bus.publish('marketStatus', event);
    return true;
  }

  /**
   * Journals a venue's new definition of a registered instrument (FAULTS 35: its tick, lot,
   * min/max or fees changed while running) and returns the instrument now in force (the same
   * object when nothing changed: nothing is journaled). New orders and modifies are checked
   * against it, so an order off the new grid is refused (OFF_TICK_GRID, OFF_LOT_GRID), never
   * rounded; working orders stay as the venue holds them and their reports are still taken. The
   * tick and lot are kept at the registered precision; a grid needing more decimals, or another
   * kind, currency or multiplier, is refused with INVALID_INSTRUMENT (halt the market with
   * setMarketStatus meanwhile). Alerted as INSTRUMENT_CHANGED. A strategy may not (NOT_AUTHORIZED);
   * an operator needs the RISK role.
   */
  async updateInstrument(spec: InstrumentSpec, origin: Origin = SYSTEM): Promise<Instrument> {
    const from = this.authority.check(origin, 'updateInstrument');
    requireMarketAuthority(from, this.authority, 'update an instrument');
    const event = planInstrumentUpdate(spec, from, (id) => this.state.instrument(id), this.clock.now());
    if (!event) return this.state.instrument(instrumentId(spec.id));
    const before = this.state.instrument(instrumentId(spec.id));
    await this.commit([event]);
    const after = this.state.instrument(before.id);
    this.alert('INSTRUMENT_CHANGED', `${after.id} changed (${event.origin}): tick ${before.tickSize.toString()} to ${after.tickSize.toString()}, lot ${before.lotSize.toString()} to ${after.lotSize.toString()}`, {
      instrument: after.id,
      tickSize: after.tickSize.toString(),
      lotSize: after.lotSize.toString(),
      previousTickSize: before.tickSize.toString(),
      previousLotSize: before.lotSize.toString(),
    });
    return after;
  }

  /** A market price update: marks positions (never the ledger) and tells subscribers (breakers, gate). */
  updateMarket(instrumentId: string, quote: { last?: Price; bid?: Price; ask?: Price }): void {
    const inst = this.state.instrument(instrumentIdOf(instrumentId));
    const ts = this.clock.now();
    this.portfolio.mark(inst.id, { ...quote, ts });
    if (this.bus.has('market')) this.bus.publish('market', { instrumentId: inst.id, ...quote, ts });
  }

  /** A finished bar: marks at its close and tells subscribers (the volatility breaker reads bars). */
  updateBar(bar: Bar): void {
    requireObject(bar, 'bar');
    const inst = this.state.instrument(bar.instrumentId);
    // updateMarket(inst.id, { last: inst.price(bar.close) }), without re-checking the id and with
    // plain decimal text parsed on the fast path (same Price; anything else takes inst.price).
    const units = plainUnits(bar.close, inst.pricePrecision);
    const last = units !== undefined && units % Number(inst.tickSize.raw) === 0 ? Price.fromRaw(BigInt(units), inst.pricePrecision) : inst.price(bar.close);
    const ts = this.clock.now();
    this.portfolio.mark(inst.id, { last, ts });
    if (this.bus.has('market')) this.bus.publish('market', { instrumentId: inst.id, last, ts });
    if (this.bus.has('bar')) this.bus.publish('bar', bar);
  }

  /** A public trade (a print): marks at its price and tells subscribers (its size is the traded volume the API shows). */
  updateTrade(trade: Trade): void {
    requireObject(trade, 'trade');
    const inst = this.state.instrument(trade.instrumentId);
    const last = inst.price(trade.price);
    const ts = this.clock.now();
    this.portfolio.mark(inst.id, { last, ts });
    if (this.bus.has('market')) this.bus.publish('market', { instrumentId: inst.id, last, ts });
    if (this.bus.has('trade')) this.bus.publish('trade', trade);
  }
  now(): number {
    return this.clock.now();
  }
  openOrders(): Iterable<Order> {
    return this.state.openOrders.values();
  }
  order(id: string): Order | undefined {
    return this.state.orders.get(id as ClientOrderId);
  }
  instrument(id: string): Instrument {
    return this.state.instrument(instrumentId(id));
  }
  get lastSeq(): number {
    return this.seq;
  }
  get isStopped(): boolean {
    return this.stopped !== undefined;
  }

  addVenue(venue: Venue): void {
    if (this.venues.has(venue.id)) throw new LookupError('DUPLICATE_REGISTRATION', `venue ${venue.id} is already added`, { venue: venue.id });
    this.venues.set(venue.id, venue);
    venue.connect((report) => this.onReport(venue.id, report));
  }

  async registerInstrument(spec: InstrumentSpec): Promise<Instrument> {
    requireObject(spec, 'instrument');
    const t = this.clock.now();
    await this.commit([{ kind: 'InstrumentRegistered', spec, tsEvent: t, tsInit: t }]);
    return this.state.instrument(instrumentId(spec.id));
  }

  async openAccount(a: { id: string; type: AccountType; positionMode?: PositionMode; balances?: readonly Money[] }): Promise<void> {
    requireObject(a, 'account');
    const t = this.clock.now();
    await this.commit([
      { kind: 'AccountOpened', accountId: accountId(a.id), accountType: a.type, positionMode: a.positionMode ?? 'NETTING', balances: a.balances ?? [], tsEvent: t, tsInit: t },
    ]);
  }

  /** Deposit (positive) or withdrawal (negative, at most the free balance), by an operator with the TREASURY role; journaled. */
  async adjustBalance(account: string, amount: Money, reason: string, by: Operator): Promise<void> {
    const op = this.authority.verify(by, 'TREASURY', `adjusting the balance of ${shown(account)}`);
    const id = accountId(account);
    requireMoney(amount, 'amount');
    requireText(reason, 'reason');
    this.portfolio.account(id).checkAdjustment(amount);
    const t = this.clock.now();
    await this.commit([{ kind: 'BalanceAdjusted', accountId: id, amount, reason: `${reason} (by ${op.identity})`, tsEvent: t, tsInit: t }]);
  }

  /** ENGINE_STOPPED once the engine stopped (stop, or a journal write failed). */
  private requireRunning(): void {
    if (this.stopped) throw new EngineError('ENGINE_STOPPED', `engine stopped: ${this.stopped.message}`, { cause: this.stopped.code });
  }

  /** Puts `screen` in front of the gate for every submit, list and modify (one at a time); returns how to take it away. */
  screenSubmits(screen: SubmitScreen): () => void {
    if (this.screen) throw new LookupError('DUPLICATE_REGISTRATION', 'the engine already has a submit screen', {});
    this.screen = screen;
    return () => {
      if (this.screen === screen) this.screen = undefined;
    };
  }

  submitOrder(order: OrderRequest, origin: Origin = SYSTEM): Promise<CommandResult> {
    return this.execute({ kind: 'SubmitOrder', order }, origin);
  }
  cancelOrder(id: string, origin: Origin = SYSTEM): Promise<CommandResult> {
    return this.execute({ kind: 'CancelOrder', clientOrderId: id }, origin);
  }
  modifyOrder(
    id: string,
    changes: { quantity?: NumericInput | Quantity; price?: NumericInput | Price; triggerPrice?: NumericInput | Price },
    origin: Origin = SYSTEM,
  ): Promise<CommandResult> {
    return this.execute({ kind: 'ModifyOrder', clientOrderId: id, ...changes }, origin);
  }

  /**
   * Runs one command. Bad input (malformed, unknown ids, duplicates) rejects with a typed
   * WardenError and changes nothing; a pre-trade denial is journaled as OrderDenied and reported
   * in `denied`. Resolves once the command's events are durable; its venue calls go out then.
   *
   * `origin` says who sent it and is journaled with each order. It defaults to SYSTEM for the
   * composition root and tests, which hold the engine; a strategy never does (its context sends
   * STRATEGY), so the default cannot widen what a strategy may do. A STRATEGY origin may touch
   * only its own orders; only RISK_CONTROL may use a reserved tag (warden:*, the flatten tag).
   */
  async execute(cmd: Command, origin: Origin = SYSTEM): Promise<CommandResult> {
    // As in commit: a command sent by a bus handler during applyEvents runs once that batch is appended.
    if (this.applying) await Promise.resolve();
    requireObject(cmd, 'command');
    this.requireRunning();
    const by = origin === SYSTEM ? origin : this.authority.check(origin, 'execute');
    // The call's audit record, checked before anything else is: a malformed one refuses the command, changing nothing.
    const carried = auditOfCommand(cmd);
    const audit = carried !== undefined ? { entry: carried, by: this.authority.check(origin, 'recordAudit') } : undefined;
    if (audit) planAudit({ ...audit.entry, outcome: 'OK' }, audit.by, this.clock.now());
    const journaled = checkJournaledIds(this.journal, this.state, cmd, this.seq);
    if (journaled) await journaled.catch(this.idLookupFailed);
    const screen = this.screen !== undefined && isScreened(cmd) ? this.screen : undefined;
    let prior: PriorDenial | undefined;
    let plan: Plan;
    if (screen) {
      const s = screen.screen(cmd as ScreenedCommand);
      prior = s instanceof Promise ? await s : s;
    }
    try {
      // The screen may have waited: the engine may have stopped meanwhile.
      this.requireRunning();
      plan = this.plan(cmd, by, prior);
    } catch (e) {
      screen?.abandon(cmd as ScreenedCommand);
      throw e;
    }
    const records = this.applyEvents(plan.events);
    // Applied apart, after the command's own events (a refused command stays refused, the engine running), and journaled in the same commit.
    if (audit) records.push(...this.applyEvents([auditOfPlan(audit.entry, audit.by, plan, this.clock.now())]));
    const durable = this.appendRecords(records);
    if (durable) await durable;
    for (const call of plan.calls) this.callVenue(call);
    const orders: Order[] = [];
    for (const id of plan.orderIds) {
      const o = this.state.orders.get(id);
      if (o) orders.push(o);
    }
    return { command: cmd.kind, records, orders, denied: plan.denied };
  }

  /** Decides a command: validates everything first, so that a throw here changes nothing. `screened`: the screen's denial. */
  private plan(cmd: Command, origin: Origin, screened?: PriorDenial): Plan {
    const now = this.clock.now();
    switch (cmd.kind) {
      case 'SubmitOrder':
        return this.planSubmit([cmd.order], undefined, now, origin, undefined, cmd.denial === undefined ? screened : priorDenial(cmd.denial));
      case 'SubmitOrderList': {
        if (!Array.isArray(cmd.orders) || cmd.orders.length === 0) {
          throw new ValidationError('INVALID_FIELD', 'an order list needs at least one order', { field: 'orders' });
        }
        return this.planSubmit(cmd.orders, cmd.orderListId, now, origin, cmd.heldAtVenue, screened);
      }
      case 'ModifyOrder':
        return this.planModify(cmd, now, origin, screened);
      case 'CancelOrder': {
        const order = this.state.order(clientOrderId(cmd.clientOrderId));
        requireOwner(order.spec, origin, 'cancel');
        this.requireOpen(order, 'cancel');
        return this.planCancel([order], now);
      }
      case 'CancelAllOrders': {
        // Unknown filters are errors: a misspelt instrument must not become "cancel nothing".
        const inst = cmd.instrumentId === undefined ? undefined : this.state.instrument(instrumentId(cmd.instrumentId)).id;
        const acct = cmd.accountId === undefined ? undefined : this.portfolio.account(accountId(cmd.accountId)).id;
        const strat = cmd.strategyId === undefined ? undefined : strategyId(cmd.strategyId);
        // A strategy cancels only its own orders: it may name only itself, and risk control's orders are not its own.
        if (origin.kind === 'STRATEGY' && strat !== origin.strategyId) {
          throw new AuthorityError('NOT_OWN_ORDER', `strategy ${origin.strategyId} may cancel only its own orders, not those of ${strat ?? 'every strategy'}`, { strategyId: origin.strategyId });
        }
        // A misspelt side must not become a silent "cancel nothing".
        if (cmd.side !== undefined && cmd.side !== 'BUY' && cmd.side !== 'SELL') {
          throw new ValidationError('INVALID_FIELD', `side must be BUY or SELL, got ${shown(cmd.side)}`, { field: 'side', input: shown(cmd.side) });
        }
        const targets: Order[] = [];
        for (const o of this.state.openOrders.values()) {
          const s = o.spec;
          if (inst && s.instrumentId !== inst) continue;
          if (acct && s.accountId !== acct) continue;
          if (strat && s.strategyId !== strat) continue;
          if (cmd.side && s.side !== cmd.side) continue;
          if (origin.kind === 'STRATEGY' && reservedTag(s.tags) !== undefined) continue;
          targets.push(o);
        }
        return this.planCancel(targets, now);
      }
      case 'QueryOrder':
        return { events: [], calls: [], orderIds: [this.state.order(clientOrderId(cmd.clientOrderId)).clientOrderId], denied: [] };
      default: {
        // Commands may come from a payload: an unknown kind is bad input, not a TypeError.
        const kind: unknown = (cmd as { kind?: unknown }).kind;
        throw new ValidationError('INVALID_FIELD', `unknown command kind ${shown(kind)}`, { field: 'kind', input: shown(kind) });
      }
    }
  }

  private planSubmit(requests: readonly OrderRequest[], listId: string | undefined, now: number, origin: Origin, heldAtVenue?: OrderListShape, prior?: PriorDenial): Plan {
    // Duplicates within one command: a list only (one order cannot repeat itself).
    const seen = requests.length > 1 ? new Set<string>() : undefined;
    const prepared: PreparedSubmit[] = [];
    let nextSeq = this.seq;
    for (const raw of requests) {
      if (typeof raw !== 'object' || raw === null) throw new ValidationError('INVALID_FIELD', 'order must be an object', { field: 'order' });
      // Copy only when something is added: the common case passes the caller's object through.
      const req: OrderRequest =
        raw.clientOrderId === undefined || listId !== undefined
          ? { ...raw, clientOrderId: raw.clientOrderId ?? `W-${now}-${++nextSeq}`, ...(listId !== undefined ? { orderListId: listId } : {}) }
          : raw;
      const instrument = this.state.instruments.get(req.instrumentId as InstrumentId) ?? this.state.instrument(instrumentId(req.instrumentId));
      const venue = this.venues.get(instrument.venue);
      if (!venue) throw new LookupError('UNKNOWN_VENUE', `no venue ${instrument.venue} for ${instrument.id}`, { venue: instrument.venue });
      const spec = createOrderSpec(req, instrument, now);
      requireSubmitter(spec, origin, this.authority);
      this.portfolio.account(spec.accountId);
      if (spec.positionId !== undefined) requireOwnPosition(this.portfolio.position(spec.positionId), spec);
      if (this.state.isKnownClientOrderId(spec.clientOrderId) || seen?.has(spec.clientOrderId) === true) {
        throw new LookupError('DUPLICATE_CLIENT_ORDER_ID', `client order id ${spec.clientOrderId} is already in use`, { clientOrderId: spec.clientOrderId });
      }
      seen?.add(spec.clientOrderId);
      prepared.push({ spec, instrument, venue });
    }
    if (heldAtVenue !== undefined) requireVenueList(heldAtVenue, prepared);
    // Each order of a list is checked counting the ones before it (none is live yet); a list is all or nothing.
    const only = prepared.length === 1 ? prepared[0]! : undefined;
    const verdicts = only
      ? [this.gate.check({ kind: 'submit', spec: only.spec, instrument: only.instrument, origin }, this)]
      : checkSubmits(this.gate, prepared.map((p) => ({ kind: 'submit', spec: p.spec, instrument: p.instrument, origin }) as const), this);
    return submitPlan(prepared, verdicts, prior, heldAtVenue, originText(origin), now);
  }

  private planModify(cmd: Extract<Command, { kind: 'ModifyOrder' }>, now: number, origin: Origin, screened?: PriorDenial): Plan {
    const order = this.state.order(clientOrderId(cmd.clientOrderId));
    requireOwner(order.spec, origin, 'modify');
    this.requireOpen(order, 'modify');
    const instrument = this.state.instrument(order.instrumentId);
    const quantity = cmd.quantity === undefined ? undefined : instrument.quantity(cmd.quantity);
    if (quantity && (quantity.isZero() || quantity.cmp(order.filledQty) <= 0)) {
      throw new StateError('QUANTITY_BELOW_FILLED', `new quantity ${quantity.toString()} must exceed the filled ${order.filledQty.toString()}`, {
        field: 'quantity',
        input: quantity.toString(),
        filled: order.filledQty.toString(),
      });
    }
    if (cmd.price !== undefined && order.price === undefined) throw new ValidationError('UNEXPECTED_PRICE', `${order.spec.type} order has no price to modify`, { field: 'price' });
    if (cmd.triggerPrice !== undefined && order.triggerPrice === undefined) {
      throw new ValidationError('UNEXPECTED_PRICE', `${order.spec.type} order has no trigger price to modify`, { field: 'triggerPrice' });
    }
    const price = cmd.price === undefined ? undefined : instrument.orderPrice(cmd.price, 'price');
    const triggerPrice = cmd.triggerPrice === undefined ? undefined : instrument.orderPrice(cmd.triggerPrice, 'triggerPrice');
    if (!quantity && !price && !triggerPrice) throw new ValidationError('INVALID_FIELD', 'modify changes nothing', { field: 'quantity' });
    if (quantity || price) checkOrderLimits(instrument, quantity ?? order.quantity, price ?? order.price);
    const id = order.clientOrderId;
    const gated = this.gate.check({ kind: 'modify', order, instrument, quantity, price, triggerPrice }, this);
    // The screen's denial only tightens, as for a submit: the gate's own wins.
    const v = !gated.ok || screened === undefined ? gated : { ok: false as const, ...screened };
    if (!v.ok) {
      return {
        events: [{ kind: 'OrderModifyRejected', clientOrderId: id, reason: `${v.code}: ${v.reason}`, tsEvent: now, tsInit: now }],
        calls: [],
        orderIds: [id],
        denied: [{ clientOrderId: id, code: v.code, reason: v.reason }],
      };
    }
    const venue = this.venueOf(instrument);
    const venueOrderId = order.venueOrderId;
    return {
      events: [{ kind: 'OrderPendingUpdate', clientOrderId: id, tsEvent: now, tsInit: now }],
      calls: [{ kind: 'modify', venue, orderId: id, request: { clientOrderId: id, venueOrderId, instrument, quantity, price, triggerPrice } }],
      orderIds: [id],
      denied: [],
    };
  }

  private planCancel(orders: readonly Order[], now: number): Plan {
    const events: EngineEvent[] = [];
    const calls: PlannedCall[] = [];
    for (const order of orders) {
      const instrument = this.state.instrument(order.instrumentId);
      const venue = this.venueOf(instrument);
      const id = order.clientOrderId;
      const venueOrderId = order.venueOrderId;
      events.push({ kind: 'OrderPendingCancel', clientOrderId: id, tsEvent: now, tsInit: now });
      calls.push({ kind: 'cancel', venue, orderId: id, request: { clientOrderId: id, venueOrderId, instrument } });
    }
    return { events, calls, orderIds: orders.map((o) => o.clientOrderId), denied: [] };
  }

  private requireOpen(order: Order, what: string): void {
    if (!order.isOpen) {
      throw new StateError('ORDER_NOT_OPEN', `cannot ${what} order ${order.clientOrderId} in status ${order.status}`, {
        clientOrderId: order.clientOrderId,
        status: order.status,
      });
    }
  }

  private venueOf(instrument: Instrument): Venue {
    const venue = this.venues.get(instrument.venue);
    if (!venue) throw new LookupError('UNKNOWN_VENUE', `no venue ${instrument.venue} for ${instrument.id}`, { venue: instrument.venue });
    return venue;
  }

  /** For the registration calls: apply, append, wait until durable. */
  private async commit(events: readonly EngineEvent[]): Promise<JournalRecord[]> {
    // A bus handler that commits while a batch is being applied (the emulator completing an OCO
    // whose legs were both denied) waits until that batch is numbered and appended: else its
    // record would be appended before the batch's, a gap the journal refuses.
    if (this.applying) await Promise.resolve();
    this.requireRunning();
    const records = this.applyEvents(events);
    const durable = this.appendRecords(records);
    if (durable) await durable;
    return records;
  }

  /**
   * Applies events in order and numbers them. An event the state refuses in the middle of a
   * batch means a bug in the engine, not bad input (that is caught in `plan`): the engine stops
   * rather than go on with a state the journal does not have.
   */
  private applyEvents(events: readonly EngineEvent[]): JournalRecord[] {
    this.applying = true;
    try {
      return this.applyEach(events);
    } finally {
      this.applying = false;
    }
  }

  /** True while applyEvents runs (bus handlers are called from inside it). */
  private applying = false;

  private applyEach(events: readonly EngineEvent[]): JournalRecord[] {
    const records: JournalRecord[] = [];
    for (const event of events) {
      try {
        if (this.state.apply(event) === 'DUPLICATE_FILL') continue;
      } catch (e) {
        if (records.length > 0 || events.length > 1) this.halt(e);
        throw e;
      }
      records.push({ seq: ++this.seq, event, text: undefined });
      if (this.gate.observe) this.gate.observe(event, this);
    }
    return records;
  }

  /**
   * Hands records to the journal. Returns undefined when they are durable already (a
   * synchronous journal), else a promise that settles when they are; a failed write stops
   * the engine.
   */
  private appendRecords(records: JournalRecord[]): Promise<void> | undefined {
    if (records.length === 0) return undefined;
    let pending: Promise<void> | void;
    try {
      pending = this.journal.append(records);
    } catch (e) {
      throw this.halt(e);
    }
    if (!pending) {
      this.publishRecords(records);
      return undefined;
    }
    return pending.then(
      () => this.publishRecords(records),
      (e: unknown) => {
        throw this.halt(e);
      },
    );
  }

  private publishRecords(records: readonly JournalRecord[]): void {
    if (this.bus.has('record')) for (const r of records) this.bus.publish('record', r);
  }

  /** Stops the engine (once) and returns the typed reason, so a failed write reaches the caller with a stable code. */
  private halt(cause: unknown): WardenError {
    if (this.stopped) return this.stopped;
    const stopped =
      cause instanceof WardenError ? cause : new EngineError('ENGINE_STOPPED', `engine stopped: ${String(cause)}`, { cause: String(cause) });
    this.stopped = stopped;
    this.alert('ENGINE_STOPPED', `engine stopped accepting commands: ${stopped.message}`, { cause: stopped.code });
    return stopped;
  }

  private callVenue(c: PlannedCall): void {
    try {
      let r: void | Promise<void>;
      switch (c.kind) {
        case 'submit':
          r = c.venue.submit(c.request);
          break;
        case 'modify':
          r = c.venue.modify(c.request);
          break;
        case 'cancel':
          r = c.venue.cancel(c.request);
          break;
      }
      if (r) r.catch((e: unknown) => this.venueCallFailed(c, e));
    } catch (e) {
      this.venueCallFailed(c, e);
    }
  }

  /**
   * A failed call does not mean the venue did not act on it: the order stays where it is and an
   * alert goes out; reconciliation (never a blind resend) settles it.
   */
  private venueCallFailed(c: PlannedCall, e: unknown): void {
    this.alert('VENUE_CALL_FAILED', `venue ${c.venue.id} ${c.kind} for ${c.orderId} failed: ${(e as Error)?.message ?? String(e)}`, {
      venue: c.venue.id,
      clientOrderId: c.orderId,
      call: c.kind,
    });
  }

  private alert(code: AlertCode, message: string, context: ErrorContext): void {
    this.bus.publish('alert', { code, message, context, ts: this.clock.now() });
  }

  /**
   * Applies a report obtained by other means than the venue's stream (reconciliation's queries).
   * It goes through exactly the same checks: a fill already applied is dropped by its trade id.
   */
  applyVenueReport(venue: string, report: VenueReport): void {
    this.onReport(venue as VenueId, report);
  }

  /**
   * Sends a cancel for an order our books hold as closed without having filled (see
   * dead-orders.ts) straight to its venue: the venue says it is working, and the state machine
   * cannot cancel a closed order. Nothing is journaled (nothing changes in our books); the answer
   * comes back as a report, published on `deadOrder`. An open order is refused: cancelOrder is its way.
   */
  async cancelAtVenue(id: string): Promise<void> {
    const order = this.state.order(id as ClientOrderId);
    if (!isDeadStatus(order.status)) {
      throw new StateError('ILLEGAL_TRANSITION', `order ${order.clientOrderId} is ${order.status}, not closed unfilled: cancel it with cancelOrder`, { clientOrderId: order.clientOrderId, status: order.status });
    }
    const instrument = this.state.instrument(order.instrumentId);
    await this.venueOf(instrument).cancel({ clientOrderId: order.clientOrderId, venueOrderId: order.venueOrderId, instrument });
  }

  /**
   * Takes in an order the venue has and we do not know (placed elsewhere, or lost): journaled as
   * initialized, submitted and accepted, tagged `external`, with an alert. The venue is not called.
   */
  async adoptExternalOrder(spec: OrderSpec, venueOrderId: VenueOrderId): Promise<void> {
    const t = this.clock.now();
    const id = spec.clientOrderId;
    const tagged: OrderSpec = { ...spec, tags: spec.tags.includes('external') ? spec.tags : [...spec.tags, 'external'] };
    await this.commit([
      { kind: 'OrderInitialized', clientOrderId: id, spec: tagged, origin: 'RECONCILIATION', tsEvent: t, tsInit: t },
      { kind: 'OrderSubmitted', clientOrderId: id, tsEvent: t, tsInit: t },
      { kind: 'OrderAccepted', clientOrderId: id, venueOrderId, tsEvent: t, tsInit: t },
    ]);
    this.alert('EXTERNAL_ORDER_ADOPTED', `venue order ${venueOrderId} (${id}) was not ours: adopted as external`, { clientOrderId: id, venueOrderId });
  }

  /**
   * A report about an order dead to us (dead-orders.ts): published for the chaser, alerted when
   * the venue has it working. False when the report is not to be applied further.
   */
  private onDeadOrderReport(venue: VenueId, order: Order, event: OrderEvent): boolean {
    const verdict = deadOrderVerdict(order, event);
    if (verdict.do === 'NONE') return true;
    const id = order.clientOrderId;
    if (verdict.do === 'KILL') {
      this.alert('DEAD_ORDER_WORKING', `order ${id} is ${order.status} in our books but working at ${venue} (${verdict.what}): it must be canceled at the venue`, { venue, clientOrderId: id, status: order.status, kind: event.kind });
    }
    this.bus.publish('deadOrder', { venue, clientOrderId: id, verdict, ts: this.clock.now() });
    return verdict.do === 'CANCEL_REFUSED' || verdict.apply;
  }

  /** Turns a venue report into an event; a report that does not fit is alerted, never applied. */
  private onReport(venue: VenueId, report: VenueReport): void {
    if (this.stopped) {
      this.alert('REPORT_DROPPED', `engine stopped; ${report.kind} for ${report.clientOrderId} left to reconciliation`, { venue });
      return;
    }
    let event: OrderEvent;
    let order: Order;
    try {
      order = this.state.order(report.clientOrderId);
      const instrument = reportGridFor(order, this.state.instrument(order.instrumentId), this.state.gridChangedAt(order.instrumentId));
      const account = this.portfolio.account(order.spec.accountId);
      event = reportToEvent(report, order, instrument, this.portfolio.positionIdFor(order), this.clock.now(), account.holds);
    } catch (e) {
      const err = e as WardenError;
      this.alert(err.code ?? 'BAD_REPORT', `${report.kind} from ${venue} for ${report.clientOrderId}: ${err.message}`, { venue, kind: report.kind, clientOrderId: report.clientOrderId });
      return;
    }
    // A repeat of a fill already booked (a stream report seen again by reconciliation or REST) changes
    // nothing: dropped where it comes in, before anything judges it as a new fill.
    if (event.kind === 'OrderFilled' && order.hasTrade(event.tradeId)) return;
    if (!this.onDeadOrderReport(venue, order, event)) return;
    // A reduce-only fill is booked only as far as it reduces; after any fill, reduce-only orders are kept within the position.
    const before = event.kind === 'OrderFilled' ? this.reduceOnly.netOf(order) : undefined;
    if (event.kind === 'OrderFilled') {
      const admitted = this.reduceOnly.admit(event, order);
      if (!admitted) return this.reduceOnly.review(order);
      event = admitted;
    }
    try {
      const durable = this.appendRecords(this.applyEvents([event]));
      if (durable) durable.catch(this.reportFailed);
    } catch (e) {
      this.reportFailed(e);
      return;
    }
    if (before !== undefined) this.reduceOnly.afterFill(order, before);
  }
}

/** The command's audit record with its outcome: DENIED with the first denial's code, else OK. */
function auditOfPlan(entry: CommandAudit, by: Origin, plan: Plan, now: number): EngineEvent {
  const d = plan.denied[0];
  return planAudit(d ? { ...entry, outcome: 'DENIED', code: d.code } : { ...entry, outcome: 'OK' }, by, now);
}

/** The alert of a consultation that gave no advice. */
function advisorAlert(outcome: Exclude<AdvisorOutcome, 'OK'>): AlertCode {
  switch (outcome) {
    case 'BUDGET_EXHAUSTED':
      return 'ADVISOR_BUDGET';
    case 'TIMEOUT':
      return 'ADVISOR_TIMEOUT';
    case 'REFUSED':
      return 'ADVISOR_REFUSED';
    case 'INVALID':
      return 'ADVISOR_INVALID';
    case 'UNAVAILABLE':
      return 'ADVISOR_UNAVAILABLE';
    default:
      return assertNever(outcome, 'advisor outcome');
  }
}
