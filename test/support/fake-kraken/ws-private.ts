/**
 * Kraken's authenticated WebSocket v2 (`wss://ws-auth.kraken.com/v2`): the `executions` channel
 * (and `balances`, see ws-balances.ts),
 * subscribed with the token from GetWebSocketsToken; a snapshot of open orders (`snap_orders`,
 * default true) and of the last 50 fills (`snap_trades`), then one message per event with a
 * per-connection `sequence`. The duplicate and reorder faults act here.
 */
import type { WebSocket } from 'ws';
import { isFinal, type FakeExecution } from '../fake-venue/matching.ts';
import type { KrakenContext } from './context.ts';
import { BalancesChannel } from './ws-balances.ts';
import { executionItems, orderItem, tradeItem, type ExecItem } from './ws-executions.ts';
import { V2Session, type V2Request } from './ws-session.ts';

interface Subscriber {
  readonly account: string;
  sequence: number;
  /** A message held back by the reorder fault, sent after the next one. */
  held: ExecItem | undefined;
}

export class PrivateWs {
  private readonly sessions = new Map<V2Session, Subscriber | undefined>();
  private readonly balances: BalancesChannel;

  constructor(private readonly ctx: KrakenContext) {
    this.balances = new BalancesChannel(ctx);
    ctx.matching.onExecution((e) => {
      this.onExecution(e);
      this.balances.onExecution(e);
    });
    ctx.faults.onDrop((abrupt) => {
      for (const s of [...this.sessions.keys()]) s.drop(abrupt);
    });
  }

  accept(socket: WebSocket): void {
    const session = new V2Session(socket, this.ctx.faults, () => this.ctx.now(), (s, req, t) => this.onRequest(s, req, t));
    this.sessions.set(session, undefined);
    socket.on('close', () => {
      this.sessions.delete(session);
      this.balances.forget(session);
    });
  }

  private onRequest(s: V2Session, req: V2Request, timeIn: number): void {
    const p = req.params ?? {};
    if (req.method !== 'subscribe' && req.method !== 'unsubscribe') return s.fail(req, timeIn, 'Method not supported');
    if (p['channel'] !== 'executions' && p['channel'] !== 'balances') return s.fail(req, timeIn, 'Channel not supported');
    const account = this.ctx.tokens.account(typeof p['token'] === 'string' ? p['token'] : undefined, this.ctx.now());
    if (!account) return s.fail(req, timeIn, 'ESession:Invalid session');
    if (p['channel'] === 'balances') {
      return req.method === 'subscribe' ? this.balances.subscribe(s, req, timeIn, account) : this.balances.unsubscribe(s, req, timeIn);
    }
    if (req.method === 'unsubscribe') {
      if (!this.sessions.get(s)) return s.fail(req, timeIn, 'Subscription Not Found');
      this.sessions.set(s, undefined);
      s.reply(req, timeIn, { channel: 'executions' });
      return s.unsubscribed();
    }
    if (this.sessions.get(s)) return s.fail(req, timeIn, 'Already subscribed');
    const sub: Subscriber = { account, sequence: 0, held: undefined };
    this.sessions.set(s, sub);
    s.reply(req, timeIn, { channel: 'executions', maxratecount: 180, snapshot: true, warnings: [] });
    s.subscribed();
    if (p['snap_orders'] !== false) this.push(s, sub, 'snapshot', this.openOrders(account));
    if (p['snap_trades'] === true) this.push(s, sub, 'snapshot', this.lastFills(account));
  }

  private openOrders(account: string): ExecItem[] {
    const out: ExecItem[] = [];
    for (const o of this.ctx.matching.openOrders(account)) {
      const meta = this.ctx.orders.metaFor(o);
      const pair = meta ? this.ctx.pairs.find(meta.pairId) : undefined;
      if (meta && pair && !isFinal(o.status)) out.push(orderItem(o, meta, pair, undefined, o.updatedAt));
    }
    return out;
  }

  private lastFills(account: string): ExecItem[] {
    const out: ExecItem[] = [];
    for (const t of this.ctx.matching.trades(account).slice(-50)) {
      const meta = this.ctx.orders.byId(t.orderId);
      const pair = meta ? this.ctx.pairs.find(meta.pairId) : undefined;
      const o = meta?.orderId !== undefined ? this.ctx.matching.find(account, { orderId: meta.orderId }) : undefined;
      if (meta && pair && o) out.push(tradeItem(this.ctx, o, t, meta, pair));
    }
    return out;
  }

  private onExecution(e: FakeExecution): void {
    const items = executionItems(this.ctx, e);
    for (const [s, sub] of this.sessions) {
      if (!sub || sub.account !== e.order.account) continue;
      for (const item of items) this.deliver(s, sub, item);
    }
  }

  /** Applies the duplicate / reorder faults to one update. */
  private deliver(s: V2Session, sub: Subscriber, item: ExecItem): void {
    const f = this.ctx.faults;
    if (f.reorder && !sub.held) {
      sub.held = item;
      return;
    }
    this.push(s, sub, 'update', [item]);
    if (f.duplicate) this.push(s, sub, 'update', [item]);
    if (sub.held) {
      const held = sub.held;
      sub.held = undefined;
      this.push(s, sub, 'update', [held]);
      if (f.duplicate) this.push(s, sub, 'update', [held]);
    }
  }

  private push(s: V2Session, sub: Subscriber, type: 'snapshot' | 'update', data: ExecItem[]): void {
    s.send({ channel: 'executions', type, data, sequence: ++sub.sequence });
  }
}
