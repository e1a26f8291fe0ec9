/**
 * Reading a running node for the tasks: recent bars (those the node has seen, else its replayed
 * files up to its clock), what an answer may refer to (instruments, positions), a ticket's
 * context, the portfolio's holdings and the strategies as candidates. Reads only: nothing here
 * changes the node.
 */
import type { Bar } from '../../model/bar.ts';
import { LookupError, ValidationError } from '../../model/errors.ts';
import { isBar, readReplay } from '../../node/market-data.ts';
import type { TradingNode } from '../../node/trading-node.ts';
import { STRATEGIES } from '../../strategies/index.ts';
import type { ProposalScope } from './proposal-schema.ts';
import type { PortfolioHolding } from './portfolio.ts';
import type { StrategyCandidate } from './strategies.ts';
import type { TradeContext, TradeTicket } from './trade.ts';

const KEEP = 5_000;

/** The last bars of each instrument the node's engine published, kept from when the desk started. */
export class BarHistory {
  private readonly bars = new Map<string, Bar[]>();
  private readonly off: () => void;

  constructor(node: TradingNode) {
    this.off = node.engine.bus.subscribe('bar', (b) => {
      const list = this.bars.get(b.instrumentId) ?? [];
      const last = list[list.length - 1];
      if (last && last.ts >= b.ts) return;
      list.push({ instrumentId: b.instrumentId, ts: b.ts, durationMs: b.durationMs, open: b.open.toString(), high: b.high.toString(), low: b.low.toString(), close: b.close.toString(), volume: b.volume.toString() });
      if (list.length > KEEP) list.splice(0, list.length - KEEP);
      this.bars.set(b.instrumentId, list);
    });
  }

  seen(id: string): readonly Bar[] {
    return this.bars.get(id) ?? [];
  }

  close(): void {
    this.off();
  }
}

/**
 * The last `n` bars of an instrument up to the node's clock: those it has seen when they are
 * enough, else read from its replayed file (a paper or backtest node). UNKNOWN_INSTRUMENT when the
 * node has no data for it.
 */
export async function recentBars(node: TradingNode, history: BarHistory, id: string, n: number): Promise<Bar[]> {
  node.engine.instrument(id);
  const seen = history.seen(id);
  if (seen.length >= n) return seen.slice(-n);
  const spec = node.config.data.replay.find((r) => r.instrumentId === id);
  if (!spec) {
    if (seen.length > 0) return [...seen];
    throw new LookupError('UNKNOWN_INSTRUMENT', `the node has no bars of ${id} (not in data.replay, none seen yet)`, { instrumentId: id });
  }
  const now = node.clock.now();
  const out: Bar[] = [];
  for await (const item of readReplay(spec)) {
    if (!isBar(item)) continue;
    if (item.ts + item.durationMs > now) break;
    out.push(item);
    if (out.length > n) out.shift();
  }
  return out;
}

/** Instruments the node trades and its open positions: what proposals and news answers may name. */
export function scopeOf(node: TradingNode): ProposalScope {
  const e = node.engine;
  return {
    instruments: [...e.state.instruments.keys()].map(String).sort(),
    positions: e.portfolio.openPositions().map((p) => ({ accountId: p.accountId, instrumentId: p.instrumentId, side: p.side === 'LONG' ? ('LONG' as const) : ('SHORT' as const), quantity: p.quantity.toString() })),
  };
}

/** The account a proposal of an instrument goes to: the configured account on its venue. */
export function accountFor(node: TradingNode, instrumentId: string): string {
  const venue = instrumentId.slice(instrumentId.lastIndexOf('.') + 1);
  const a = node.config.accounts.find((x) => x.venue === venue);
  if (!a) throw new ValidationError('INVALID_FIELD', `no account is configured on venue ${venue}`, { field: 'instrumentId', instrumentId });
  return a.id;
}

export function tradeContextOf(node: TradingNode, t: TradeTicket, gate: TradeContext['gate']): Omit<TradeContext, 'features'> {
  const e = node.engine;
  const inst = e.instrument(t.instrumentId);
  const q = e.portfolio.quote(inst.id);
  const pos = e.portfolio.openPositions().find((p) => p.accountId === t.accountId && p.instrumentId === inst.id);
  const equity = e.portfolio.hasAccount(t.accountId as never) ? e.portfolio.equity(t.accountId as never, inst.quote) : undefined;
  return {
    reference: { ...(q?.last ? { last: q.last.toString() } : {}), ...(q?.bid ? { bid: q.bid.toString() } : {}), ...(q?.ask ? { ask: q.ask.toString() } : {}), ...(q?.ts !== undefined ? { ageMs: Math.max(0, e.now() - q.ts) } : {}) },
    position: pos ? { side: pos.side === 'LONG' ? 'LONG' : 'SHORT', quantity: pos.quantity.toString() } : { side: 'FLAT', quantity: '0' },
    ...(equity ? { equity: { amount: equity.toString(), currency: inst.quote.code } } : {}),
    gate,
    openOrders: [...e.openOrders()].filter((o) => o.spec.accountId === t.accountId).length,
  };
}

const returnsOf = (bars: readonly Bar[]): number[] => bars.slice(1).map((b, i) => Number(b.close) / Number(bars[i]!.close) - 1);

/** The node's open positions as holdings with aligned returns over the last `n` bars, and the equity of their accounts. */
export async function holdingsOf(node: TradingNode, history: BarHistory, n: number): Promise<{ holdings: PortfolioHolding[]; equity: number }> {
  const e = node.engine;
  const open = e.portfolio.openPositions();
  const series = await Promise.all(open.map((p) => recentBars(node, history, p.instrumentId, n)));
  const len = Math.min(...series.map((s) => s.length), n);
  const holdings = open.map((p, i): PortfolioHolding => {
    const inst = e.instrument(p.instrumentId);
    const mark = e.portfolio.markFor(p);
    return {
      instrumentId: p.instrumentId,
      side: p.side === 'LONG' ? 'LONG' : 'SHORT',
      quantity: p.quantity.toString(),
      mark: mark ? Number(mark.toString()) : 0,
      ...(inst.base ? { asset: inst.base.code, assetClass: inst.kind === 'EQUITY' ? 'equity' : 'crypto' } : { assetClass: 'equity' }),
      returns: returnsOf(series[i]!.slice(-len)),
    };
  });
  const accounts = new Set(open.map((p) => p.accountId));
  const currency = open[0] ? e.instrument(open[0].instrumentId).settlement : undefined;
  let equity = 0;
  if (currency) for (const a of accounts) equity += e.portfolio.equity(a, currency).toNumber();
  return { holdings, equity };
}

/** The node's configured strategies (or those named) as candidates over the last `n` bars of their instruments. */
export async function candidatesOf(node: TradingNode, history: BarHistory, n: number, only?: readonly string[]): Promise<StrategyCandidate[]> {
  const out: StrategyCandidate[] = [];
  for (const s of node.config.strategies) {
    if (only && !only.includes(s.id)) continue;
    const factory = STRATEGIES[s.name];
    if (!factory) continue;
    const sources = await Promise.all(s.instruments.map(async (id) => ({ instrument: node.engine.instrument(id).spec, bars: await recentBars(node, history, id, n) })));
    out.push({ id: s.id, cfg: { factory, baseParams: Object.fromEntries(Object.entries(s.params).map(([k, v]) => [k, String(v)])), sources, cash: '100000' } });
  }
  if (only) for (const id of only) if (!out.some((c) => c.id === id)) throw new LookupError('UNKNOWN_STRATEGY', `no strategy ${id} runs in this node`, { strategyId: id });
  return out;
}

