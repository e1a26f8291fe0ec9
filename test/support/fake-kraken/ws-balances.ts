/**
 * Kraken's v2 `balances` channel: a snapshot of every asset (v2 names: `BTC`, `USD`) with its spot
 * wallet, then one ledger entry per asset a fill moved, carrying the new balance.
 */
import type { FakeExecution } from '../fake-venue/matching.ts';
import type { KrakenContext } from './context.ts';
import { add, fixed, mul } from './decimal.ts';
import { krakenTxid } from './orders.ts';
import { rfc3339, type V2Request, type V2Session } from './ws-session.ts';

const n = (s: string): number => Number(s);

export class BalancesChannel {
  private readonly subs = new Map<V2Session, { account: string; sequence: number }>();
  private ledgerCounter = 1;

  constructor(private readonly ctx: KrakenContext) {}

  subscribe(s: V2Session, req: V2Request, timeIn: number, account: string): void {
    if (this.subs.has(s)) return s.fail(req, timeIn, 'Already subscribed');
    const sub = { account, sequence: 0 };
    this.subs.set(s, sub);
    s.reply(req, timeIn, { channel: 'balances', snapshot: true });
    s.subscribed();
    const data = Object.entries(this.totals(account)).map(([id, total]) => {
      const asset = this.ctx.pairs.asset(id);
      return { asset: asset?.wsName ?? id, asset_class: 'currency', balance: n(total), wallets: [{ type: 'spot', id: 'main', balance: n(total) }] };
    });
    s.send({ channel: 'balances', type: 'snapshot', data, sequence: ++sub.sequence });
  }

  unsubscribe(s: V2Session, req: V2Request, timeIn: number): void {
    if (!this.subs.delete(s)) return s.fail(req, timeIn, 'Subscription Not Found');
    s.reply(req, timeIn, { channel: 'balances' });
    s.unsubscribed();
  }

  forget(s: V2Session): void {
    this.subs.delete(s);
  }

  /** A fill moves the base and the quote asset: one ledger entry each. */
  onExecution(e: FakeExecution): void {
    const t = e.trade;
    const meta = t ? this.ctx.orders.byId(t.orderId) : undefined;
    const pair = meta ? this.ctx.pairs.find(meta.pairId) : undefined;
    if (!t || !pair) return;
    const buy = t.side === 'BUY';
    const cost = mul(t.price, t.qty, pair.pairDecimals + pair.lotDecimals);
    const moves = [
      { asset: pair.base, amount: buy ? t.qty : `-${t.qty}`, fee: '0' },
      { asset: pair.quote, amount: buy ? `-${cost}` : cost, fee: t.commission },
    ];
    for (const [s, sub] of this.subs) {
      if (sub.account !== t.account) continue;
      const totals = this.totals(sub.account);
      const refId = this.ctx.orders.tradeTxid(t);
      const data = moves.map((m) => ({
        ledger_id: krakenTxid('L', this.ledgerCounter++),
        ref_id: refId,
        timestamp: rfc3339(t.ts),
        type: 'trade',
        subtype: '',
        asset_class: 'currency',
        asset: m.asset.wsName,
        amount: n(m.amount),
        fee: n(m.fee),
        balance: n(totals[m.asset.id] ?? '0'),
        wallet_type: 'spot',
        wallet_id: 'main',
      }));
      s.send({ channel: 'balances', type: 'update', data, sequence: ++sub.sequence });
    }
  }

  private totals(account: string): Record<string, string> {
    const out: Record<string, string> = {};
    for (const [id, b] of Object.entries(this.ctx.matching.balances(account))) {
      const d = this.ctx.pairs.asset(id)?.decimals ?? 8;
      out[id] = fixed(add(b.free, b.locked, d), d);
    }
    return out;
  }
}
