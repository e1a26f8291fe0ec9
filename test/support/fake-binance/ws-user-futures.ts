/**
 * The USDⓈ-M user data stream: listenKeys (created, kept alive and closed over REST, expiring
 * after the TTL without a keepalive, announced with `listenKeyExpired`), sockets on
 * `/private/ws?listenKey=` (what ccxt.pro 4.5.84 opens) or `/ws/<listenKey>`, and the pushes
 * ORDER_TRADE_UPDATE, ALGO_UPDATE (conditional orders) and ACCOUNT_UPDATE.
 */
import { randomBytes } from 'node:crypto';
import type { FakeExecution } from '../fake-venue/matching.ts';
import { sub } from './decimal.ts';
import { BinanceError, MSG } from './errors.ts';
import { AlgoBook, positionOf, unrealized, wallet } from './futures-ledger.ts';
import { accountUpdate, algoUpdate, grid, orderTradeUpdate } from './futures-wire.ts';
import { ReportSequencer, type BinanceSocket } from './sockets.ts';
import type { BinanceVenue } from './venue.ts';

interface KeyState {
  timer: NodeJS.Timeout;
  expired: boolean;
}

interface UserConnection {
  readonly socket: BinanceSocket;
  readonly key: string;
  readonly sequencer: ReportSequencer;
}

export class FuturesUserStream {
  readonly algos = new AlgoBook();
  private readonly keys = new Map<string, KeyState>();
  private readonly connections = new Set<UserConnection>();

  constructor(private readonly venue: BinanceVenue) {
    venue.matching.onExecution((e) => this.publish(e));
  }

  // ---- listenKey lifecycle (REST) ----

  /** POST: the live key is returned again (and extended), as Binance does; else a new one. */
  create(): { listenKey: string } {
    const live = this.liveKeys()[0];
    if (live) return this.keepAlive(live);
    const key = randomBytes(32).toString('base64url').slice(0, 64);
    this.keys.set(key, { timer: this.expiry(key), expired: false });
    return { listenKey: key };
  }

  keepAlive(key: string | undefined): { listenKey: string } {
    const k = key ?? this.liveKeys()[0];
    const state = k === undefined ? undefined : this.keys.get(k);
    if (!state || state.expired || k === undefined) throw new BinanceError(400, -1125, MSG.listenKeyNotExist);
    clearTimeout(state.timer);
    state.timer = this.expiry(k);
    return { listenKey: k };
  }

  remove(key: string | undefined): Record<string, never> {
    const k = key ?? this.liveKeys()[0];
    const state = k === undefined ? undefined : this.keys.get(k);
    if (state) {
      clearTimeout(state.timer);
      this.keys.delete(k!);
    }
    return {};
  }

  liveKeys(): string[] {
    return [...this.keys.entries()].filter(([, s]) => !s.expired).map(([k]) => k);
  }

  /** The key lapses now: its sockets get `listenKeyExpired` and nothing more. */
  expire(key: string): void {
    const state = this.keys.get(key);
    if (!state || state.expired) return;
    clearTimeout(state.timer);
    state.expired = true;
    for (const c of this.connections) if (c.key === key) c.socket.send({ e: 'listenKeyExpired', E: this.venue.now(), listenKey: key });
  }

  close(): void {
    for (const s of this.keys.values()) clearTimeout(s.timer);
  }

  private expiry(key: string): NodeJS.Timeout {
    const t = setTimeout(() => this.expire(key), this.venue.o.listenKeyTtlMs);
    t.unref();
    return t;
  }

  // ---- sockets ----

  claims(url: URL): boolean {
    if (url.pathname.startsWith('/private/')) return true;
    const last = url.pathname.split('/').pop() ?? '';
    return url.pathname.startsWith('/ws/') && this.keys.has(last);
  }

  attach(socket: BinanceSocket, url: URL): void {
    const key = url.searchParams.get('listenKey') ?? url.pathname.split('/').pop() ?? '';
    const state = this.keys.get(key);
    if (!state || state.expired) {
      socket.ws.close(1008, 'Invalid listenKey');
      return;
    }
    const conn: UserConnection = { socket, key, sequencer: new ReportSequencer(this.venue.faults) };
    this.connections.add(conn);
    socket.ws.on('close', () => this.connections.delete(conn));
  }

  private publish(e: FakeExecution): void {
    const o = e.order;
    const m = this.venue.matching.market(o.symbol);
    if (!m) return;
    const g = grid(m);
    const now = this.venue.now();
    const isAlgo = this.algos.has(o.orderId);
    if (isAlgo && (e.exec === 'TRIGGERED' || e.exec === 'TRADE')) this.algos.trigger(o.orderId);
    const triggered = this.algos.triggered(o.orderId);
    const reports: unknown[] = [];
    if (isAlgo && (e.exec !== 'TRADE' || o.status === 'FILLED')) reports.push(algoUpdate(o, g, now, { triggered, trailing: false }));
    if (!isAlgo || (triggered && e.exec !== 'CANCELED')) {
      const trades = this.venue.matching.trades(this.venue.account, o.symbol);
      const before = positionOf(o.symbol, e.trade ? trades.filter((t) => t.tradeId < e.trade!.tradeId) : trades);
      const after = positionOf(o.symbol, e.trade ? trades.filter((t) => t.tradeId <= e.trade!.tradeId) : trades);
      reports.push(orderTradeUpdate(e, g, now, e.trade ? sub(after.realized, before.realized) : '0'));
    }
    const account = e.trade ? this.accountUpdate(o.symbol, now) : undefined;
    for (const c of this.connections) {
      if (this.keys.get(c.key)?.expired) continue;
      for (const r of reports) c.sequencer.push(() => c.socket.send(r));
      if (account) c.socket.send(account);
    }
  }

  private accountUpdate(symbol: string, now: number): unknown {
    const m = this.venue.matching.market(symbol)!;
    const p = positionOf(symbol, this.venue.matching.trades(this.venue.account, symbol));
    return accountUpdate(wallet(this.venue, m.quote), [{ p, upnl: unrealized(this.venue, p), g: grid(m) }], now);
  }
}
