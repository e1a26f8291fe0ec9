/**
 * Each panel's content as lines of toned segments: pure (data in, text out), so the layout can
 * stack, grid or fullscreen them and tests can read them without a terminal.
 */
import { sharpeRatio } from '../risk/analytics/ratios.ts';
import { bar, bytes, duration, isNegative, pad, padLeft, percent, places, sparkline, symbolOf } from './format.ts';
import type { AccountRow, OrderRow, RiskStatus } from './types.ts';
import { eventRate, nodeNow, tradingState, type DashState } from './state.ts';
import type { PanelId, UiState } from './ui.ts';
import { advisorLines, pendingProposals } from './advisor.ts';

export type Tone = 'text' | 'dim' | 'accent' | 'good' | 'bad' | 'warn' | 'focus';
export interface Seg {
  readonly text: string;
  readonly tone?: Tone;
}
export type Line = readonly Seg[];

export interface PanelContext {
  readonly dash: DashState;
  readonly ui: UiState;
  /** Wall clock (epoch ms). */
  readonly now: number;
  readonly width: number;
}

export const TITLES: Readonly<Record<PanelId, string>> = {
  account: 'Account',
  positions: 'Positions',
  orders: 'Active orders',
  market: 'Market data',
  risk: 'Risk',
  advisor: 'Advisor insights',
  strategies: 'Strategies',
  health: 'System health',
};

const seg = (text: string, tone: Tone = 'text'): Seg => ({ text, tone });
const pnlTone = (v: string | undefined): Tone => (v === undefined ? 'dim' : isNegative(v) ? 'bad' : /[1-9]/.test(v) ? 'good' : 'text');
const loading = (what: string): Line[] => [[seg(`loading ${what}…`, 'dim')]];
const marker = (ctx: PanelContext, panel: PanelId, i: number): Seg => (ctx.ui.focus === panel && ctx.ui.selected[panel] === i ? seg('>', 'focus') : seg(' '));

export function panelLines(id: PanelId, ctx: PanelContext): Line[] {
  switch (id) {
    case 'account':
      return account(ctx);
    case 'positions':
      return positions(ctx);
    case 'orders':
      return orders(ctx);
    case 'market':
      return market(ctx);
    case 'risk':
      return risk(ctx);
    case 'advisor':
      return advisorLines(ctx, ctx.dash.parts.advisor, pendingProposals(ctx.dash.parts.proposals), ctx.dash.advice ?? []);
    case 'strategies':
      return strategies(ctx);
    case 'health':
      return health(ctx);
    default:
      return id satisfies never;
  }
}

function account(ctx: PanelContext): Line[] {
  const { accounts, overview } = ctx.dash.parts;
  if (!accounts || !overview) return loading('accounts');
  const equity = overview.equity.at(-1)?.value;
  const lines: Line[] = [
    [seg('equity '), seg(`${places(equity === undefined ? undefined : String(equity), 2)} ${overview.currency}`, 'accent'), seg('  pnl today '), seg(places(overview.pnlToday, 2), pnlTone(overview.pnlToday))],
  ];
  for (const a of accounts) {
    lines.push([seg(`${a.accountId} `, 'accent'), seg(a.margin === null && a.type === 'CASH' ? 'CASH (no margin)' : a.type, 'dim'), seg(`  ${dayTradesText(a)}`, dayTradesTone(a))]);
    for (const m of marginLines(a)) lines.push([seg(`  ${m}`)]);
    lines.push([seg(`  ${pad('CCY', 5)} ${padLeft('BALANCE', 12)} ${padLeft('BUYING POWER', 13)} ${padLeft('LOCKED', 10)}`, 'dim')]);
    for (const b of a.balances) {
      lines.push([seg(`  ${pad(b.currency, 5)} ${padLeft(amount(b.total), 12)} `), seg(padLeft(amount(b.free), 13), 'good'), seg(` ${padLeft(amount(b.locked), 10)}`, 'dim')]);
    }
  }
  return lines;
}

/** A MARGIN account's margin, a line per currency; none for a CASH account (the API says null only for CASH: the header says "no margin"). */
export function marginLines(a: AccountRow): string[] {
  if (a.margin === null && a.type === 'CASH') return [];
  if (!a.margin) return ['margin —'];
  return a.margin.map((m) => `margin ${amount(m.used)} used / ${amount(m.available)} avail ${m.currency}`);
}

/** The pattern-day-trader count: of the most the rule allows where it holds the account. */
export function dayTradesText(a: AccountRow): string {
  const d = a.dayTrades;
  if (d === undefined) return 'day trades —';
  // No calendar on the account's venue: nothing counts day trades there.
  if (d === null) return 'day trades n/a';
  return d.applies ? `day trades ${d.count}/${d.max} (${d.windowDays}d)` : `day trades ${d.count} (no PDT rule)`;
}

function dayTradesTone(a: AccountRow): Tone {
  const d = a.dayTrades;
  if (!d?.applies) return 'dim';
  return d.count >= d.max ? 'bad' : d.count === d.max - 1 ? 'warn' : 'text';
}

/** A balance: cents for large figures, five places for small ones (0.00100 BTC must not read 0.00). */
export function amount(text: string): string {
  return Math.abs(Number(text)) >= 100 ? places(text, 2) : places(text, 5);
}

function positions(ctx: PanelContext): Line[] {
  const rows = ctx.dash.parts.positions;
  if (!rows) return loading('positions');
  if (rows.length === 0) return [[seg('no open positions', 'dim')]];
  const lines: Line[] = [[seg(' '), seg(`${pad('SYMBOL', 9)} ${pad('SIDE', 5)} ${padLeft('QTY', 8)} ${padLeft('AVG', 8)} ${padLeft('UPNL', 8)} ${padLeft('%', 7)}`, 'dim')]];
  rows.forEach((p, i) => {
    const cost = p.avgEntryPx === undefined ? undefined : Number(p.avgEntryPx) * Math.abs(Number(p.quantity));
    const tone = pnlTone(p.unrealizedPnl);
    lines.push([
      marker(ctx, 'positions', i),
      seg(`${pad(symbolOf(p.instrumentId), 9)} `),
      seg(pad(p.side ?? (isNegative(p.quantity) ? 'SHORT' : 'LONG'), 5), p.side === 'SHORT' ? 'warn' : 'accent'),
      seg(` ${padLeft(places(p.quantity, 5), 8)} ${padLeft(places(p.avgEntryPx, 2), 8)} `),
      seg(`${padLeft(places(p.unrealizedPnl, 2), 8)} ${padLeft(percent(p.unrealizedPnl, cost), 7)}`, tone),
    ]);
  });
  return lines;
}

/** Order types in seven columns. */
const SHORT_TYPES: Readonly<Record<string, string>> = {
  MARKET: 'MARKET',
  LIMIT: 'LIMIT',
  STOP_MARKET: 'STOP',
  STOP_LIMIT: 'STP LMT',
  MARKET_IF_TOUCHED: 'MIT',
  LIMIT_IF_TOUCHED: 'LIT',
  TRAILING_STOP_MARKET: 'TRAIL',
  TRAILING_STOP_LIMIT: 'TRL LMT',
};

/** A limit's price; else a stop's (or trailing stop's) trigger; MKT for neither. */
function priceOf(o: OrderRow): string {
  const px = o.price ?? o.triggerPrice;
  return px === undefined ? 'MKT' : places(px, 2);
}

function orders(ctx: PanelContext): Line[] {
  const rows = ctx.dash.parts.orders;
  if (!rows) return loading('orders');
  if (rows.length === 0) return [[seg('no active orders', 'dim')]];
  const t = nodeNow(ctx.dash);
  const lines: Line[] = [[seg(' '), seg(`${pad('SYMBOL', 9)} ${pad('TYPE', 7)} ${pad('SIDE', 4)} ${padLeft('QTY', 9)} ${padLeft('PRICE', 10)} ${pad('STATUS', 14)} EXPIRES`, 'dim')]];
  rows.forEach((o, i) => {
    const expiry = o.expireTime !== undefined ? duration(o.expireTime - t) : (o.timeInForce ?? 'GTC');
    lines.push([
      marker(ctx, 'orders', i),
      seg(`${pad(symbolOf(o.instrumentId), 9)} ${pad(SHORT_TYPES[o.type] ?? o.type, 7)} `),
      seg(pad(o.side, 4), o.side === 'BUY' ? 'good' : 'bad'),
      seg(` ${padLeft(places(o.quantity, 5), 9)} ${padLeft(priceOf(o), 10)} `),
      seg(pad(o.status, 14), o.status.startsWith('PENDING') ? 'warn' : 'accent'),
      seg(` ${expiry}`, 'dim'),
    ]);
  });
  return lines;
}

function market(ctx: PanelContext): Line[] {
  const names = new Set([...(ctx.dash.parts.instruments ?? []).map((i) => i.id), ...ctx.dash.market.keys()]);
  if (names.size === 0) return loading('instruments');
  const spark = Math.max(8, Math.min(30, ctx.width - 57));
  const lines: Line[] = [[seg(`${pad('SYMBOL', 10)} ${padLeft('LAST', 11)} ${padLeft('CHG', 8)} ${padLeft('VOL 24H', 10)} TREND`, 'dim')]];
  for (const id of names) {
    const m = ctx.dash.market.get(id);
    const change = m?.last !== undefined && m.first !== undefined ? percent(Number(m.last) - Number(m.first), m.first) : '—';
    lines.push([
      seg(`${pad(symbolOf(id), 10)} `),
      seg(padLeft(places(m?.last, 2), 11), 'accent'),
      seg(` ${padLeft(change, 8)}`, change.startsWith('-') ? 'bad' : change === '—' ? 'dim' : 'good'),
      seg(` ${padLeft(places(m?.volume24h, 2), 10)} `, m?.volume24h === undefined ? 'dim' : 'text'),
      seg(sparkline(m?.history ?? [], spark), 'good'),
    ]);
  }
  return lines;
}

/** Fewer equity points, or a shorter span, than this: no Sharpe (minutes of returns annualise to noise). */
export const SHARPE_MIN_POINTS = 30;
export const SHARPE_MIN_SPAN_MS = 86_400_000;

/** An annualised Sharpe of the equity curve's returns (periods from its median spacing); undefined with too few points. */
export function sharpeOfCurve(points: readonly { ts: number; value: string | number }[]): number | undefined {
  if (points.length < SHARPE_MIN_POINTS || (points.at(-1)?.ts ?? 0) - (points[0]?.ts ?? 0) < SHARPE_MIN_SPAN_MS) return undefined;
  const values = points.map((p) => Number(p.value));
  const returns = values.slice(1).map((v, i) => v / (values[i] ?? v) - 1);
  const gaps = points.slice(1).map((p, i) => p.ts - (points[i]?.ts ?? p.ts)).sort((a, b) => a - b);
  const gap = gaps[Math.floor(gaps.length / 2)] ?? 0;
  if (gap <= 0) return undefined;
  try {
    const s = sharpeRatio(returns, { periodsPerYear: (365 * 86_400_000) / gap });
    return Number.isFinite(s) ? s : undefined;
  } catch {
    return undefined;
  }
}

function risk(ctx: PanelContext): Line[] {
  const r = ctx.dash.parts.risk;
  const ov = ctx.dash.parts.overview;
  if (!r) return loading('risk');
  const state = tradingState(ctx.dash);
  const dd = ov?.drawdown === null || ov?.drawdown === undefined ? '—' : `${(Number(ov.drawdown) * 100).toFixed(2)}%`;
  const sharpe = ov ? sharpeOfCurve(ov.equity) : undefined;
  const lines: Line[] = [
    [seg('trading '), seg(state, state === 'ACTIVE' ? 'good' : 'bad'), seg(r.killSwitch.engaged ? `  kill switch ENGAGED by ${r.killSwitch.by ?? '?'}` : '  kill switch off', r.killSwitch.engaged ? 'bad' : 'dim')],
    [seg(`VaR ${ov?.var ? places(ov.var, 2) : '—'}  drawdown ${dd}  Sharpe ${sharpe === undefined ? '—' : sharpe.toFixed(2)}  win rate ${winRateText(r)}`)],
  ];
  for (const b of r.breakers) {
    const tripped = b.state !== 'CLOSED';
    const figure = b.value === null ? '—' : typeof b.value === 'number' ? b.value.toFixed(2) : b.value;
    lines.push([
      seg(`${pad(b.name, 16)} ${pad(shortScope(b.scope), 6)} `),
      seg(bar(b.ratio, 8), tripped || (b.ratio ?? 0) >= 1 ? 'bad' : (b.ratio ?? 0) >= 0.7 ? 'warn' : 'good'),
      seg(` ${padLeft(figure, 6)}/${pad(String(b.limit ?? '—'), 5)} `),
      seg(tripped ? `TRIP ${b.state}` : 'ok', tripped ? 'bad' : 'dim'),
    ]);
  }
  return lines;
}

/** Won of closed round trips, as a percent and as the counts it comes from. */
export function winRateText(r: RiskStatus): string {
  const t = r.trades;
  if (!t) return '—';
  if (t.closed === 0) return '— (0 closed)';
  return `${((t.won / t.closed) * 100).toFixed(2)}% (${t.won}/${t.closed})`;
}

function shortScope(scope: string): string {
  return scope.replace(/^(ACCOUNT|STRATEGY|INSTRUMENT):/, '').replace(/^STRATEGY$/, 'STRAT').replace(/^ACCOUNT$/, 'ACCT');
}

/** ACTIVE: running with a position; MONITORING: running, flat; PAUSED; STOPPED. */
export function strategyStatus(state: string, hasPosition: boolean): string {
  if (state === 'running') return hasPosition ? 'ACTIVE' : 'MONITORING';
  return state.toUpperCase();
}

function strategies(ctx: PanelContext): Line[] {
  const rows = ctx.dash.parts.strategies;
  if (!rows) return loading('strategies');
  if (rows.length === 0) return [[seg('no strategies', 'dim')]];
  const held = new Set((ctx.dash.parts.positions ?? []).map((p) => p.strategyId));
  return rows.map((s, i) => {
    const status = strategyStatus(s.state, held.has(s.id));
    const pnl = s.pnl ? `pnl ${places(s.pnl.realized, 2)}/${places(s.pnl.unrealized, 2)}` : '';
    return [marker(ctx, 'strategies', i), seg(`${pad(s.id, 14)} ${pad(s.name, 20)} `), seg(pad(status, 11), status === 'PAUSED' || status === 'STOPPED' ? 'warn' : 'good'), seg(` ${pnl}`, 'dim')];
  });
}

function health(ctx: PanelContext): Line[] {
  const d = ctx.dash;
  const venues = [...d.venues.values()];
  const up = venues.filter((v) => v.connected).length;
  const lines: Line[] = [
    [seg(`node ${d.parts.health?.node ?? '—'}  stream `), seg(d.connection.toUpperCase(), d.connection === 'live' ? 'good' : 'warn'), seg(`  seq ${d.lastSeq}`, 'dim')],
    [seg(`venues ${up}/${venues.length} connected  events ${eventRate(d, ctx.now).toFixed(1)}/s`)],
    [seg(nodeProcess(d, ctx.now))],
  ];
  for (const v of venues) {
    const probe = v.probeLatencyMs === undefined ? '' : `  probe ${v.probeLatencyMs}ms`;
    lines.push([seg(`  ${pad(v.venue, 12)} `), seg(v.connected ? 'UP  ' : 'DOWN', v.connected ? 'good' : 'bad'), seg(`  latency ${v.latencyMs === undefined ? '—' : `${v.latencyMs}ms`}${probe}  msgs ${v.messages ?? 0}  errors ${v.errors ?? 0}`, 'dim')]);
  }
  return lines;
}

/** The node's memory and uptime (its own figures from the API and the stream, not this dashboard's): uptime runs on from when they arrived. */
export function nodeProcess(d: DashState, now: number): string {
  const sys = d.system;
  if (!sys) return 'node memory —  uptime —';
  const m = sys.info.memory;
  return `node memory ${bytes(m.rssBytes)} rss, ${bytes(m.heapUsedBytes)} heap  uptime ${duration(sys.info.uptimeMs + Math.max(0, now - sys.at))}`;
}
