/**
 * What Kraken keeps about an order beyond the matching core's view: its txid (`OQCLML-BW3P3-BUCMWZ`),
 * the user's `userref` and `cl_ord_id`, Kraken's order type and flags, and the trade txids
 * (`TCCCTY-WE2O6-P3NB37`) of its fills.
 */
import { randomBytes } from 'node:crypto';
import type { FakeOrder, FakeTrade } from '../fake-venue/matching.ts';

export type KrakenOrderType = 'market' | 'limit' | 'stop-loss' | 'take-profit' | 'stop-loss-limit' | 'take-profit-limit';

export interface OrderMeta {
  readonly txid: string;
  /** The matching core's id, known once it accepted the order. */
  orderId: number | undefined;
  readonly account: string;
  readonly pairId: string;
  readonly ordertype: KrakenOrderType;
  readonly userref: number;
  readonly clOrdId: string | undefined;
  readonly oflags: readonly string[];
  /** As given: the trigger for stops (price), the limit for stop-limits (price2). */
  readonly price: string | undefined;
  readonly price2: string | undefined;
  readonly timeinforce: 'GTC' | 'IOC' | 'GTD';
  readonly expiretm: number; // seconds, 0 when none
  /** GTD orders the fake ended at their expiry (the matching core saw a cancel). */
  expired: boolean;
  /** The matching core's client id under which the order is kept. */
  readonly matchingClientId: string;
}

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

function block(n: number): string {
  return [...randomBytes(n)].map((b) => ALPHABET[b % 32]).join('');
}

/** A Kraken-style transaction id: prefix letter (O order, T trade, L ledger), then 5-5-6 characters, unique by counter. */
export function krakenTxid(prefix: 'O' | 'T' | 'L', counter: number): string {
  const tail = counter.toString(32).toUpperCase().replace(/[0-9]/g, (c) => ALPHABET[Number(c) + 22]!).padStart(6, 'W');
  return `${prefix}${block(5)}-${block(5)}-${tail.slice(-6)}`;
}

export class OrderRegistry {
  private readonly byTxid = new Map<string, OrderMeta>();
  private readonly byOrderId = new Map<number, OrderMeta>();
  private readonly tradeTxids = new Map<number, string>();
  private orderCounter = 1;
  private tradeCounter = 1;

  newTxid(): string {
    return krakenTxid('O', this.orderCounter++);
  }

  private pending: OrderMeta | undefined;

  /**
   * The order about to be placed: the matching core publishes its first executions before place()
   * returns, so the meta is bound to the core's order id on first sight (metaFor).
   */
  expect(meta: OrderMeta): void {
    this.pending = meta;
  }

  /** Ends the placement: the order was accepted (kept) or refused (forgotten). */
  settle(order: FakeOrder | undefined): OrderMeta | undefined {
    const meta = order ? this.metaFor(order) : undefined;
    this.pending = undefined;
    return meta;
  }

  metaFor(o: FakeOrder): OrderMeta | undefined {
    const known = this.byOrderId.get(o.orderId);
    if (known) return known;
    const p = this.pending;
    if (!p || p.account !== o.account || p.matchingClientId !== o.clientOrderId) return undefined;
    p.orderId = o.orderId;
    this.byTxid.set(p.txid, p);
    this.byOrderId.set(o.orderId, p);
    return p;
  }

  byTx(txid: string): OrderMeta | undefined {
    return this.byTxid.get(txid);
  }

  byId(orderId: number): OrderMeta | undefined {
    return this.byOrderId.get(orderId);
  }

  byClOrdId(account: string, clOrdId: string): OrderMeta[] {
    return [...this.byTxid.values()].filter((m) => m.account === account && m.clOrdId === clOrdId);
  }

  byUserref(account: string, userref: number): OrderMeta[] {
    return [...this.byTxid.values()].filter((m) => m.account === account && m.userref === userref);
  }

  /** The trade's Kraken txid, made on first sight. */
  tradeTxid(t: FakeTrade): string {
    let id = this.tradeTxids.get(t.tradeId);
    if (!id) this.tradeTxids.set(t.tradeId, (id = krakenTxid('T', this.tradeCounter++)));
    return id;
  }

  all(): OrderMeta[] {
    return [...this.byTxid.values()];
  }
}

/** Kraken's REST status of an order: `pending` / `open` / `closed` (filled) / `canceled` / `expired`. */
export function restStatus(o: FakeOrder, meta: OrderMeta): 'open' | 'closed' | 'canceled' | 'expired' {
  switch (o.status) {
    case 'NEW':
    case 'PARTIALLY_FILLED':
      return 'open';
    case 'FILLED':
      return 'closed';
    case 'CANCELED':
      return meta.expired ? 'expired' : 'canceled';
    case 'EXPIRED':
      return 'expired';
    case 'REJECTED':
      return 'canceled';
  }
}
