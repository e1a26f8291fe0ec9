/**
 * The exact, versioned JSON format of engine state snapshots (see src/engine/snapshot.ts for
 * what a snapshot holds). Values go through the event codec's field encoders, so prices,
 * quantities, specs and currencies are written exactly as in the journal; running sums (raw
 * bigints) are integer text. Every key is always written (undefined as null) in a fixed order, so
 * encode → decode → encode gives the same text.
 *
 * SNAPSHOT_VERSION is stored beside each snapshot. A stored version newer than this code's is
 * refused with JOURNAL_SCHEMA_NEWER (this code cannot know what it leaves out); anything
 * malformed or inconsistent with JOURNAL_CORRUPT. A new version must keep decoding the old ones,
 * or recovery falls back to a full replay by refusing them.
 */
import type { EngineSnapshot, SnapshotCodec, SnapshotOptions } from '../engine/snapshot.ts';
import { EngineError, shown, WardenError } from '../model/errors.ts';
import type { ClientOrderId, InstrumentId, PositionId, StrategyId } from '../model/identifiers.ts';
import type { InstrumentSpec } from '../model/instrument.ts';
import type { RawAmount } from '../model/money.ts';
import type { OrderSnapshot } from '../model/orders/order.ts';
import { ORDER_STATUSES, type OrderStatus } from '../model/orders/status.ts';
import type { OrderSpec } from '../model/orders/types.ts';
import type { Price, Quantity } from '../model/values.ts';
import type { AccountSnapshot } from '../portfolio/account.ts';
import type { PortfolioSnapshot } from '../portfolio/portfolio.ts';
import type { PositionSnapshot } from '../portfolio/position.ts';
import type { BreakerStatus, RiskStateSnapshot } from '../engine/risk-state/risk-state.ts';
import type { RiskScope, RiskSource, TradingState } from '../engine/risk-state/events.ts';
import type { ContingencyRecord, EmulationSnapshot, HeldOrderRecord } from '../engine/emulation/emulation-state.ts';
import type { AlgoRecord, AlgoSnapshot } from '../engine/algos/algo-state.ts';
import type { StrategyStateSnapshot } from '../engine/strategy-state/strategy-states.ts';
import type { MarketStatusEntry, MarketStatusSnapshot } from '../engine/markets/market-statuses.ts';
import { decodeAs, decodeCurrency, encodeAs, encodeCurrency, type Json, type JsonObject } from './codec.ts';

/**
 * 2 added `emulation` (held orders, contingent groups) and each order's busted trade ids; a version
 * 1 snapshot decodes with none. 3 added `algos` (running execution algorithms); a version 1 or 2
 * snapshot decodes with none running. 4 added `strategyState` (what strategies keep with
 * ctx.state); an older snapshot decodes with none. 5 added `markets` (venues and markets closed,
 * halted or in maintenance: FAULTS 34) and `gridChanges` (when a venue last changed each
 * instrument it changed: FAULTS 35; `instruments` holds each spec as last updated); an older
 * snapshot decodes with every market OPEN and no grid ever changed.
 */
export const SNAPSHOT_VERSION = 5;

// ---------------------------------------------------------------------------------------------
// encode

const big = (v: bigint): string => v.toString();
const raws = (xs: readonly RawAmount[]): Json => xs.map((a) => ({ currency: encodeCurrency(a.currency), raw: big(a.raw) }));
const orNull = <T>(v: T | undefined, f: (x: T) => Json): Json => (v === undefined ? null : f(v));

export function encodeSnapshot(s: EngineSnapshot): string {
  const out: JsonObject = {
    format: SNAPSHOT_VERSION,
    seq: s.seq,
    options: { ...s.options },
    eventsApplied: s.eventsApplied,
    instruments: s.instruments.map((spec) => encodeAs('instrumentSpec', spec, 'instrument')),
    orders: s.orders.map(({ order, inMap }) => encodeOrder(order, inMap)),
    openOrders: [...s.openOrders],
    closedOrders: [...s.closedOrders],
    knownIds: [...s.knownIds],
    knownIdRing: [...s.knownIdRing],
    portfolio: encodePortfolio(s.portfolio),
    risk: encodeRisk(s.risk),
    emulation: {
      held: s.emulation.held.map((h) => ({
        spec: encodeAs('orderSpec', h.spec, 'spec'),
        heldAt: h.heldAt,
        activated: h.activated,
        extreme: encodeAs('price?', h.extreme, 'extreme'),
        stop: encodeAs('price?', h.stop, 'stop'),
        ...(h.origin !== undefined ? { origin: h.origin } : {}),
      })),
      contingencies: s.emulation.contingencies.map((g) => ({ groupId: g.groupId, contingency: g.contingency, request: g.request, ...(g.origin !== undefined ? { origin: g.origin } : {}) })),
    },
    algos: {
      running: s.algos.running.map((a) => ({
        parentId: a.parentId,
        kind: a.kind,
        request: a.request,
        origin: a.origin,
        nativeIceberg: a.nativeIceberg,
        startedAt: a.startedAt,
        slices: encodeAs('strList?', a.slices, 'slices'),
      })),
    },
    strategyState: s.strategyState.strategies.map((x) => ({ strategyId: x.strategyId, entries: x.entries.map(([k, v]) => [k, v]) })),
    markets: s.markets.entries.map((m) => ({ venue: m.venue, instrumentId: m.instrumentId ?? null, status: m.status, reason: m.reason, since: m.since, origin: m.origin })),
    gridChanges: s.gridChanges.map(([id, at]) => [id, at]),
  };
  return JSON.stringify(out);
}

function encodeOrder(o: OrderSnapshot, inMap: boolean): JsonObject {
  return {
    inMap,
    spec: encodeAs('orderSpec', o.spec, 'spec'),
    tsInit: o.tsInit,
    status: o.status,
    previousStatus: o.previousStatus,
    quantity: encodeAs('qty', o.quantity, 'quantity'),
    price: encodeAs('price?', o.price, 'price'),
    triggerPrice: encodeAs('price?', o.triggerPrice, 'triggerPrice'),
    filledQty: encodeAs('qty', o.filledQty, 'filledQty'),
    fillCostRaw: big(o.fillCostRaw),
    fillPxPrecision: o.fillPxPrecision,
    overfilledQty: encodeAs('qty?', o.overfilledQty, 'overfilledQty'),
    venueOrderId: o.venueOrderId ?? null,
    isTriggered: o.isTriggered,
    lateFill: o.lateFill,
    eventCount: o.eventCount,
    tsLast: o.tsLast,
    tradeIds: [...o.tradeIds],
    bustedTradeIds: [...o.bustedTradeIds],
  };
}

function encodePortfolio(p: PortfolioSnapshot): JsonObject {
  return {
    accounts: p.accounts.map((a) => ({
      id: a.id,
      type: a.type,
      positionMode: a.positionMode,
      totals: raws(a.totals),
      locks: a.locks.map((l) => ({ clientOrderId: l.clientOrderId, currency: encodeCurrency(l.currency), raw: big(l.raw) })),
    })),
    positions: p.positions.map((x) => ({
      id: x.id,
      accountId: x.accountId,
      strategyId: x.strategyId,
      instrumentId: x.instrumentId,
      signedQtyRaw: big(x.signedQtyRaw),
      costRaw: big(x.costRaw),
      realizedRaw: big(x.realizedRaw),
      commissions: raws(x.commissions),
      cycleRealizedRaw: big(x.cycleRealizedRaw),
      cycleCommissionRaw: big(x.cycleCommissionRaw),
      openedAt: x.openedAt,
      closedAt: x.closedAt ?? null,
      fillCount: x.fillCount,
      lastFillPx: encodeAs('price?', x.lastFillPx, 'lastFillPx'),
      retained: x.retained,
    })),
    closedPositions: [...p.closedPositions],
    stats: p.stats.map((s) => ({
      key: s.key,
      closedTrades: s.closedTrades,
      winners: s.winners,
      losers: s.losers,
      realized: raws(s.realized),
      commissions: raws(s.commissions),
    })),
  };
}

function encodeRisk(r: RiskStateSnapshot): JsonObject {
  return {
    states: r.states.map(([scope, state, source]) => (source === undefined ? [scope, state] : [scope, state, source])),
    breakers: r.breakers.map((b) => ({
      breaker: b.breaker,
      scope: b.scope,
      state: b.state,
      action: b.action ?? null,
      trippedAt: b.trippedAt ?? null,
      autoResetAt: b.autoResetAt ?? null,
      value: encodeAs('float?', b.value, 'value'),
      threshold: encodeAs('float?', b.threshold, 'threshold'),
      message: b.message ?? null,
    })),
    killSwitch: orNull(r.killSwitch, (k) => ({ operator: k.operator, reason: k.reason, since: k.since })),
  };
}

// ---------------------------------------------------------------------------------------------
// decode

/**
 * Decodes and validates a snapshot stored with format `version`. A newer version is refused with
 * JOURNAL_SCHEMA_NEWER, anything malformed with JOURNAL_CORRUPT.
 */
export function decodeSnapshot(body: string, version: number = SNAPSHOT_VERSION): EngineSnapshot {
  if (!Number.isSafeInteger(version) || version < 1) throw corrupt(`snapshot format version ${shown(version)} is not valid`, 'format');
  if (version > SNAPSHOT_VERSION) {
    throw new EngineError('JOURNAL_SCHEMA_NEWER', `snapshot has format version ${version}; this code reads up to ${SNAPSHOT_VERSION}`, {
      found: version,
      known: SNAPSHOT_VERSION,
    });
  }
  let raw: unknown;
  try {
    raw = JSON.parse(body);
  } catch (e) {
    throw corrupt(`snapshot is not JSON: ${(e as Error).message}`, 'body');
  }
  try {
    return decodeBody(raw, version);
  } catch (e) {
    if (e instanceof EngineError && (e.code === 'JOURNAL_CORRUPT' || e.code === 'JOURNAL_SCHEMA_NEWER')) throw e;
    if (e instanceof WardenError) throw corrupt(e.message, String(e.context.field ?? 'value'));
    throw corrupt((e as Error)?.message ?? String(e), 'value');
  }
}

const OPTION_KEYS = ['overfillPolicy', 'retainClosedOrders', 'retainClientOrderIds', 'retainClosedPositions', 'markPriceType'] as const;
const STATUSES: ReadonlySet<string> = new Set(ORDER_STATUSES);

function decodeBody(raw: unknown, version: number): EngineSnapshot {
  const o = fields(raw, 'snapshot', [
    'format',
    'seq',
    'options',
    'eventsApplied',
    'instruments',
    'orders',
    'openOrders',
    'closedOrders',
    'knownIds',
    'knownIdRing',
    'portfolio',
    'risk',
    ...(version >= 2 ? (['emulation'] as const) : []),
    ...(version >= 3 ? (['algos'] as const) : []),
    ...(version >= 4 ? (['strategyState'] as const) : []),
    ...(version >= 5 ? (['markets', 'gridChanges'] as const) : []),
  ]);
  if (o.format !== version) throw corrupt(`snapshot body says format ${shown(o.format)}, stored as ${version}`, 'format');
  const opts = fields(o.options, 'options', OPTION_KEYS);
  const options: SnapshotOptions = {
    overfillPolicy: oneOf(opts.overfillPolicy, ['REJECT', 'RECORD'] as const, 'overfillPolicy'),
    retainClosedOrders: nat(opts.retainClosedOrders, 'retainClosedOrders'),
    retainClientOrderIds: nat(opts.retainClientOrderIds, 'retainClientOrderIds'),
    retainClosedPositions: nat(opts.retainClosedPositions, 'retainClosedPositions'),
    markPriceType: oneOf(opts.markPriceType, ['LAST', 'BID_ASK', 'MID'] as const, 'markPriceType'),
  };
  return {
    seq: nat(o.seq, 'seq'),
    options,
    eventsApplied: nat(o.eventsApplied, 'eventsApplied'),
    instruments: list(o.instruments, 'instruments').map((x) => decodeAs('instrumentSpec', x, 'instrument') as InstrumentSpec),
    orders: list(o.orders, 'orders').map((x) => decodeOrder(x, version)),
    openOrders: list(o.openOrders, 'openOrders').map((x) => decodeAs('clientOrderId', x, 'openOrders') as ClientOrderId),
    closedOrders: list(o.closedOrders, 'closedOrders').map((x) => nat(x, 'closedOrders')),
    knownIds: list(o.knownIds, 'knownIds').map((x) => decodeAs('clientOrderId', x, 'knownIds') as ClientOrderId),
    knownIdRing: list(o.knownIdRing, 'knownIdRing').map((x) => decodeAs('clientOrderId', x, 'knownIdRing') as ClientOrderId),
    portfolio: decodePortfolio(o.portfolio),
    risk: decodeRisk(o.risk),
    emulation: version >= 2 ? decodeEmulation((o as Record<string, unknown>).emulation) : { held: [], contingencies: [] },
    algos: version >= 3 ? decodeAlgos((o as Record<string, unknown>).algos) : { running: [] },
    strategyState: version >= 4 ? decodeStrategyState((o as Record<string, unknown>).strategyState) : { strategies: [] },
    markets: version >= 5 ? decodeMarkets((o as Record<string, unknown>).markets) : { entries: [] },
    gridChanges: version >= 5 ? decodeGridChanges((o as Record<string, unknown>).gridChanges) : [],
  };
}

function decodeGridChanges(v: unknown): [InstrumentId, number][] {
  return list(v, 'gridChanges').map((x) => {
    const pair = list(x, 'gridChanges');
    if (pair.length !== 2) throw corrupt(`a grid change is [instrumentId, time], got ${pair.length} items`, 'gridChanges');
    return [decodeAs('instrumentId', pair[0], 'gridChanges') as InstrumentId, int(pair[1], 'gridChanges')];
  });
}

function decodeMarkets(v: unknown): MarketStatusSnapshot {
  const entries = list(v, 'markets').map((x): MarketStatusEntry => {
    const m = fields(x, 'market', ['venue', 'instrumentId', 'status', 'reason', 'since', 'origin']);
    return {
      venue: decodeAs('str', m.venue, 'venue') as string,
      instrumentId: decodeAs('instrumentId?', m.instrumentId, 'instrumentId') as InstrumentId | undefined,
      status: oneOf(m.status, ['CLOSED', 'HALTED', 'MAINTENANCE'] as const, 'market.status'),
      reason: decodeAs('str', m.reason, 'reason') as string,
      since: int(m.since, 'since'),
      origin: decodeAs('str', m.origin, 'origin') as string,
    };
  });
  return { entries };
}

function decodeStrategyState(v: unknown): StrategyStateSnapshot {
  const strategies = list(v, 'strategyState').map((x) => {
    const s = fields(x, 'strategyState', ['strategyId', 'entries']);
    const entries = list(s.entries, 'entries').map((e): [string, string] => {
      const pair = list(e, 'entry');
      if (pair.length !== 2) throw corrupt(`a strategy state entry is a [key, value] pair, got ${pair.length} items`, 'entries');
      return [decodeAs('str', pair[0], 'key') as string, decodeAs('str', pair[1], 'value') as string];
    });
    return { strategyId: decodeAs('str', s.strategyId, 'strategyId') as string, entries };
  });
  return { strategies };
}

function decodeAlgos(v: unknown): AlgoSnapshot {
  const s = fields(v, 'algos', ['running']);
  const running = list(s.running, 'running').map((x): AlgoRecord => {
    const a = fields(x, 'algo', ['parentId', 'kind', 'request', 'origin', 'nativeIceberg', 'startedAt', 'slices']);
    return {
      parentId: decodeAs('str', a.parentId, 'parentId') as string,
      kind: decodeAs('algoKind', a.kind, 'kind') as AlgoRecord['kind'],
      request: decodeAs('str', a.request, 'request') as string,
      origin: decodeAs('str', a.origin, 'origin') as string,
      nativeIceberg: bool(a.nativeIceberg, 'nativeIceberg'),
      startedAt: int(a.startedAt, 'startedAt'),
      slices: decodeAs('strList?', a.slices, 'slices') as string[] | undefined,
    };
  });
  return { running };
}

function decodeEmulation(v: unknown): EmulationSnapshot {
  const e = fields(v, 'emulation', ['held', 'contingencies']);
  const held = list(e.held, 'held').map((x): HeldOrderRecord => {
    const h = fields(x, 'held', withOrigin(x, ['spec', 'heldAt', 'activated', 'extreme', 'stop']));
    return {
      spec: decodeAs('orderSpec', h.spec, 'spec') as OrderSpec,
      heldAt: int(h.heldAt, 'heldAt'),
      activated: bool(h.activated, 'activated'),
      extreme: decodeAs('price?', h.extreme, 'extreme') as Price | undefined,
      stop: decodeAs('price?', h.stop, 'stop') as Price | undefined,
      ...originOf(h),
    };
  });
  const contingencies = list(e.contingencies, 'contingencies').map((x): ContingencyRecord => {
    const g = fields(x, 'contingency', withOrigin(x, ['groupId', 'contingency', 'request']));
    return {
      groupId: decodeAs('str', g.groupId, 'groupId') as string,
      contingency: decodeAs('contingencyKind', g.contingency, 'contingency') as ContingencyRecord['contingency'],
      request: decodeAs('str', g.request, 'request') as string,
      ...originOf(g),
    };
  });
  return { held, contingencies };
}

/** Held orders and groups carry `origin` when one was journaled (snapshots before it have none). */
function withOrigin<K extends string>(x: unknown, keys: readonly K[]): readonly (K | 'origin')[] {
  return typeof x === 'object' && x !== null && Object.hasOwn(x, 'origin') ? [...keys, 'origin'] : keys;
}

function originOf(o: Partial<Record<string, unknown>>): { origin?: string } {
  return o.origin === undefined ? {} : { origin: decodeAs('str', o.origin, 'origin') as string };
}

function decodeOrder(v: unknown, version: number): { order: OrderSnapshot; inMap: boolean } {
  const o = fields(v, 'order', [
    'inMap',
    'spec',
    'tsInit',
    'status',
    'previousStatus',
    'quantity',
    'price',
    'triggerPrice',
    'filledQty',
    'fillCostRaw',
    'fillPxPrecision',
    'overfilledQty',
    'venueOrderId',
    'isTriggered',
    'lateFill',
    'eventCount',
    'tsLast',
    'tradeIds',
    ...(version >= 2 ? (['bustedTradeIds'] as const) : []),
  ]);
  const order: OrderSnapshot = {
    spec: decodeAs('orderSpec', o.spec, 'spec') as OrderSpec,
    tsInit: int(o.tsInit, 'tsInit'),
    status: status(o.status, 'status'),
    previousStatus: status(o.previousStatus, 'previousStatus'),
    quantity: decodeAs('qty', o.quantity, 'quantity') as Quantity,
    price: decodeAs('price?', o.price, 'price') as Price | undefined,
    triggerPrice: decodeAs('price?', o.triggerPrice, 'triggerPrice') as Price | undefined,
    filledQty: decodeAs('qty', o.filledQty, 'filledQty') as Quantity,
    fillCostRaw: bigText(o.fillCostRaw, 'fillCostRaw'),
    fillPxPrecision: nat(o.fillPxPrecision, 'fillPxPrecision'),
    overfilledQty: decodeAs('qty?', o.overfilledQty, 'overfilledQty') as Quantity | undefined,
    venueOrderId: decodeAs('venueOrderId?', o.venueOrderId, 'venueOrderId') as OrderSnapshot['venueOrderId'],
    isTriggered: bool(o.isTriggered, 'isTriggered'),
    lateFill: bool(o.lateFill, 'lateFill'),
    eventCount: nat(o.eventCount, 'eventCount'),
    tsLast: int(o.tsLast, 'tsLast'),
    tradeIds: list(o.tradeIds, 'tradeIds').map((x) => decodeAs('tradeId', x, 'tradeIds') as OrderSnapshot['tradeIds'][number]),
    bustedTradeIds:
      version >= 2 ? list((o as Record<string, unknown>).bustedTradeIds, 'bustedTradeIds').map((x) => decodeAs('tradeId', x, 'bustedTradeIds') as OrderSnapshot['tradeIds'][number]) : [],
  };
  return { order, inMap: bool(o.inMap, 'inMap') };
}

function decodeRaws(v: unknown, field: string): RawAmount[] {
  return list(v, field).map((x) => {
    const o = fields(x, field, ['currency', 'raw']);
    return { currency: decodeCurrency(o.currency, field), raw: bigText(o.raw, field) };
  });
}

function decodePortfolio(v: unknown): PortfolioSnapshot {
  const p = fields(v, 'portfolio', ['accounts', 'positions', 'closedPositions', 'stats']);
  const accounts = list(p.accounts, 'accounts').map((x): AccountSnapshot => {
    const a = fields(x, 'account', ['id', 'type', 'positionMode', 'totals', 'locks']);
    return {
      id: decodeAs('accountId', a.id, 'account.id') as AccountSnapshot['id'],
      type: decodeAs('accountType', a.type, 'account.type') as AccountSnapshot['type'],
      positionMode: decodeAs('positionMode', a.positionMode, 'account.positionMode') as AccountSnapshot['positionMode'],
      totals: decodeRaws(a.totals, 'account.totals'),
      locks: list(a.locks, 'account.locks').map((y) => {
        const l = fields(y, 'lock', ['clientOrderId', 'currency', 'raw']);
        return {
          clientOrderId: decodeAs('clientOrderId', l.clientOrderId, 'lock.clientOrderId') as ClientOrderId,
          currency: decodeCurrency(l.currency, 'lock.currency'),
          raw: bigText(l.raw, 'lock.raw'),
        };
      }),
    };
  });
  const positions = list(p.positions, 'positions').map((x): PositionSnapshot => {
    const o = fields(x, 'position', [
      'id',
      'accountId',
      'strategyId',
      'instrumentId',
      'signedQtyRaw',
      'costRaw',
      'realizedRaw',
      'commissions',
      'cycleRealizedRaw',
      'cycleCommissionRaw',
      'openedAt',
      'closedAt',
      'fillCount',
      'lastFillPx',
      'retained',
    ]);
    return {
      id: decodeAs('positionId', o.id, 'position.id') as PositionId,
      accountId: decodeAs('accountId', o.accountId, 'position.accountId') as PositionSnapshot['accountId'],
      strategyId: decodeAs('strategyId', o.strategyId, 'position.strategyId') as StrategyId,
      instrumentId: decodeAs('instrumentId', o.instrumentId, 'position.instrumentId') as InstrumentId,
      signedQtyRaw: bigText(o.signedQtyRaw, 'signedQtyRaw'),
      costRaw: bigText(o.costRaw, 'costRaw'),
      realizedRaw: bigText(o.realizedRaw, 'realizedRaw'),
      commissions: decodeRaws(o.commissions, 'position.commissions'),
      cycleRealizedRaw: bigText(o.cycleRealizedRaw, 'cycleRealizedRaw'),
      cycleCommissionRaw: bigText(o.cycleCommissionRaw, 'cycleCommissionRaw'),
      openedAt: int(o.openedAt, 'openedAt'),
      closedAt: o.closedAt === null ? undefined : int(o.closedAt, 'closedAt'),
      fillCount: nat(o.fillCount, 'fillCount'),
      lastFillPx: decodeAs('price?', o.lastFillPx, 'lastFillPx') as Price | undefined,
      retained: bool(o.retained, 'retained'),
    };
  });
  return {
    accounts,
    positions,
    closedPositions: list(p.closedPositions, 'closedPositions').map((x) => decodeAs('positionId', x, 'closedPositions') as PositionId),
    stats: list(p.stats, 'stats').map((x) => {
      const s = fields(x, 'stats', ['key', 'closedTrades', 'winners', 'losers', 'realized', 'commissions']);
      return {
        key: s.key === '*' ? '*' : (decodeAs('strategyId', s.key, 'stats.key') as StrategyId),
        closedTrades: nat(s.closedTrades, 'closedTrades'),
        winners: nat(s.winners, 'winners'),
        losers: nat(s.losers, 'losers'),
        realized: decodeRaws(s.realized, 'stats.realized'),
        commissions: decodeRaws(s.commissions, 'stats.commissions'),
      };
    }),
  };
}

function decodeRisk(v: unknown): RiskStateSnapshot {
  const r = fields(v, 'risk', ['states', 'breakers', 'killSwitch']);
  // [scope, state, source]; a snapshot from before sources were kept has pairs (read as set by an operator).
  const states = list(r.states, 'states').map((x): [RiskScope, TradingState, RiskSource?] => {
    const t = list(x, 'states');
    if (t.length !== 2 && t.length !== 3) throw corrupt('a trading state is [scope, state, source]', 'states');
    const pair: [RiskScope, TradingState] = [decodeAs('scope', t[0], 'states') as RiskScope, decodeAs('tradingState', t[1], 'states') as TradingState];
    return t.length === 2 ? pair : [...pair, decodeAs('riskSource', t[2], 'states') as RiskSource];
  });
  const breakers = list(r.breakers, 'breakers').map((x): BreakerStatus => {
    const b = fields(x, 'breaker', ['breaker', 'scope', 'state', 'action', 'trippedAt', 'autoResetAt', 'value', 'threshold', 'message']);
    return {
      breaker: decodeAs('str', b.breaker, 'breaker') as string,
      scope: decodeAs('scope', b.scope, 'scope') as RiskScope,
      state: oneOf(b.state, ['CLOSED', 'OPEN'] as const, 'breaker.state'),
      action: decodeAs('breakerAction?', b.action, 'action') as BreakerStatus['action'],
      trippedAt: b.trippedAt === null ? undefined : int(b.trippedAt, 'trippedAt'),
      autoResetAt: b.autoResetAt === null ? undefined : int(b.autoResetAt, 'autoResetAt'),
      value: decodeAs('float?', b.value, 'value') as number | undefined,
      threshold: decodeAs('float?', b.threshold, 'threshold') as number | undefined,
      message: decodeAs('str?', b.message, 'message') as string | undefined,
    };
  });
  let killSwitch: RiskStateSnapshot['killSwitch'];
  if (r.killSwitch !== null) {
    const k = fields(r.killSwitch, 'killSwitch', ['operator', 'reason', 'since']);
    killSwitch = { operator: decodeAs('str', k.operator, 'operator') as string, reason: decodeAs('str', k.reason, 'reason') as string, since: int(k.since, 'since') };
  }
  return { states, breakers, killSwitch };
}

// ---------------------------------------------------------------------------------------------

/** A snapshot may only be stored at a sequence number the journal holds durably. */
export function checkSnapshotSeq(seq: number, durableSeq: number): void {
  if (!Number.isSafeInteger(seq) || seq < 0 || seq > durableSeq) {
    throw new EngineError('JOURNAL_SEQUENCE_GAP', `snapshot at seq ${seq} is beyond the durable seq ${durableSeq}`, { expected: durableSeq, actual: seq });
  }
}

/** The JSON format as the engine's SnapshotCodec. */
export const JSON_SNAPSHOTS: SnapshotCodec = {
  version: SNAPSHOT_VERSION,
  encode: encodeSnapshot,
  decode: decodeSnapshot,
};

/** An object with exactly these keys (each present). */
function fields<K extends string>(v: unknown, field: string, keys: readonly K[]): Record<K, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw corrupt(`${field} must be an object`, field);
  const o = v as Record<string, unknown>;
  for (const k in o) if (!(keys as readonly string[]).includes(k)) throw corrupt(`unexpected field ${field}.${k}`, field);
  for (const k of keys) if (!Object.hasOwn(o, k)) throw corrupt(`missing field ${field}.${k}`, field);
  return o;
}

function list(v: unknown, field: string): unknown[] {
  if (!Array.isArray(v)) throw corrupt(`${field} must be an array`, field);
  return v;
}

function int(v: unknown, field: string): number {
  return decodeAs('int', v, field) as number;
}

function nat(v: unknown, field: string): number {
  const n = int(v, field);
  if (n < 0) throw corrupt(`${field} must not be negative`, field);
  return n;
}

function bool(v: unknown, field: string): boolean {
  return decodeAs('bool', v, field) as boolean;
}

function bigText(v: unknown, field: string): bigint {
  if (typeof v !== 'string' || !/^-?\d+$/.test(v)) throw corrupt(`${field} must be integer text, got ${shown(v)}`, field);
  return BigInt(v);
}

function oneOf<T extends string>(v: unknown, values: readonly T[], field: string): T {
  if (typeof v !== 'string' || !(values as readonly string[]).includes(v)) throw corrupt(`${field} must be one of ${values.join(', ')}, got ${shown(v)}`, field);
  return v as T;
}

function status(v: unknown, field: string): OrderStatus {
  if (typeof v !== 'string' || !STATUSES.has(v)) throw corrupt(`${field} is not an order status: ${shown(v)}`, field);
  return v as OrderStatus;
}

function corrupt(message: string, field: string): EngineError {
  return new EngineError('JOURNAL_CORRUPT', `snapshot: ${message}`, { field });
}

