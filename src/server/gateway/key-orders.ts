/**
 * A key's orders as the gateway sees them: Warden's orders of record, and the orders Warden holds
 * itself until their trigger (a stop or take-profit the venue lacks, held by the order emulator),
 * which have no order of record until they fire. Finding, listing, printing and canceling both
 * kinds in one place, so every endpoint treats a held stop like any other order.
 */
import type { Engine } from '../../engine/engine.ts';
import { strategyOrigin } from '../../engine/origin.ts';
import { WardenError } from '../../model/errors.ts';
import type { Order } from '../../model/orders/order.ts';
import type { TradingNode } from '../../node/trading-node.ts';
import type { GatewayBook, HeldEntry } from './book.ts';
import { wardenError } from './denials.ts';
import type { Params } from './http.ts';
import type { GatewayKey } from './keys.ts';
import type { GatewaySymbols } from './symbols.ts';
import { err, type BinanceError } from './wire/errors.ts';
import type { WireOrder } from './wire/spot-wire.ts';

/** How long a cancel waits for the venue (or the journal, for a held order) before answering with the order as it stands. */
const CANCEL_SETTLE_MS = 2_000;

export type KeyOrder = { readonly kind: 'ORDER'; readonly order: Order } | { readonly kind: 'HELD'; readonly held: HeldEntry };

export class KeyOrders {
  constructor(
    private readonly node: TradingNode,
    private readonly book: GatewayBook,
    private readonly symbols: GatewaySymbols,
  ) {}

  /** Whether an order (or a held order's spec) is the key's: its strategy on its account, on a symbol the gateway maps. */
  owns(key: GatewayKey, o: { readonly spec: { readonly strategyId: string; readonly accountId: string; readonly instrumentId: string } }): boolean {
    return o.spec.strategyId === key.strategyId && o.spec.accountId === key.accountId && this.symbols.has(o.spec.instrumentId);
  }

  /** The order under a client order id: the order of record once there is one, else the held one. */
  byClientId(clientOrderId: string): KeyOrder | undefined {
    const order = this.node.engine.order(clientOrderId);
    if (order) return { kind: 'ORDER', order };
    const held = this.book.heldOrder(clientOrderId);
    return held && held.state !== 'RELEASED' ? { kind: 'HELD', held } : undefined;
  }

  /** The key's order named by `orderId` or `origClientOrderId` (Binance's names, or `names`) on `symbol`, else the `missing` answer. */
  find(p: Params, key: GatewayKey, missing: () => BinanceError, names = { orderId: 'orderId', clientId: 'origClientOrderId' }): KeyOrder {
    const number = p[names.orderId];
    const byNumber = number !== undefined ? this.book.clientIdOf(Number(number)) : undefined;
    if (number === undefined && p[names.clientId] === undefined) throw err.mandatory(names.orderId);
    const symbol = p['symbol'];
    if (symbol === undefined || symbol === '') throw err.mandatory('symbol');
    this.symbols.instrumentOf(symbol);
    const id = p[names.clientId] ?? byNumber;
    const k = id !== undefined ? this.byClientId(id) : undefined;
    if (!k || !this.owns(key, spec(k)) || this.symbols.symbolOf(spec(k).spec.instrumentId) !== symbol) throw missing();
    return k;
  }

  /** The key's working orders (held ones included), by order id; on one instrument when given. */
  open(key: GatewayKey, instrumentId?: string): KeyOrder[] {
    const orders: KeyOrder[] = [...this.node.engine.openOrders()].map((order) => ({ kind: 'ORDER', order }));
    const held: KeyOrder[] = [...this.book.heldOrders()].filter((h) => h.state === 'HELD').map((h) => ({ kind: 'HELD', held: h }));
    return this.sorted([...orders, ...held].filter((k) => this.owns(key, spec(k)) && (instrumentId === undefined || spec(k).spec.instrumentId === instrumentId)));
  }

  /** Every order of the key on the instrument, working or done (held ones canceled before they fired included), by order id. */
  all(key: GatewayKey, instrumentId: string): KeyOrder[] {
    const orders: KeyOrder[] = [...this.node.engine.state.orders.values()].map((order) => ({ kind: 'ORDER', order }));
    const held: KeyOrder[] = [...this.book.heldOrders()].filter((h) => h.state !== 'RELEASED' && !this.node.engine.order(h.spec.clientOrderId)).map((h) => ({ kind: 'HELD', held: h }));
    return this.sorted([...orders, ...held].filter((k) => this.owns(key, spec(k)) && spec(k).spec.instrumentId === instrumentId));
  }

  wire(k: KeyOrder): WireOrder {
    const symbol = this.symbols.symbolOf(spec(k).spec.instrumentId);
    return k.kind === 'ORDER' ? this.book.wireOrder(k.order, symbol) : this.book.wireHeld(k.held, symbol);
  }

  isOpen(k: KeyOrder): boolean {
    return k.kind === 'ORDER' ? k.order.isOpen : k.held.state === 'HELD';
  }

  orderIdOf(k: KeyOrder): number {
    return this.book.orderIdOf(spec(k).spec.clientOrderId);
  }

  /**
   * Cancels a working order as the key's strategy and waits (on the engine's events, never by
   * polling) until it is done or CANCEL_SETTLE_MS have passed; returns the order as it then stands.
   * A held order is canceled in the emulator (it never reached the venue). -2011 when it is not working.
   */
  async cancel(k: KeyOrder, key: GatewayKey): Promise<KeyOrder> {
    if (!this.isOpen(k)) throw err.unknownCancel();
    const id = spec(k).spec.clientOrderId;
    if (k.kind === 'HELD') {
      if (!this.node.orderEmulator.cancel(id, `canceled through the gateway by ${key.strategyId}`)) {
        // Fired between the lookup and now: the order of record is what to cancel.
        const now = this.byClientId(id);
        if (now?.kind === 'ORDER') return this.cancel(now, key);
        throw err.unknownCancel();
      }
      await settle(this.node.engine, 'record', () => this.book.heldOrder(id)?.state !== 'HELD', CANCEL_SETTLE_MS);
    } else {
      try {
        await this.node.engine.cancelOrder(id, strategyOrigin(key.strategyId));
      } catch (e) {
        if (e instanceof WardenError) throw wardenError(e);
        throw e;
      }
      await settle(this.node.engine, 'order', () => !this.node.engine.order(id)?.isOpen, CANCEL_SETTLE_MS);
    }
    return this.byClientId(id) ?? k;
  }

  private sorted(ks: KeyOrder[]): KeyOrder[] {
    return ks.map((k) => [this.orderIdOf(k), k] as const).sort((a, b) => a[0] - b[0]).map(([, k]) => k);
  }
}

function spec(k: KeyOrder): { readonly spec: HeldEntry['spec'] } {
  return k.kind === 'ORDER' ? k.order : k.held;
}

/** Resolves once `done()` holds, looked at after each message on `topic`, or after `ms`. */
function settle(engine: Engine, topic: 'order' | 'record', done: () => boolean, ms: number): Promise<void> {
  if (done()) return Promise.resolve();
  return new Promise((resolve) => {
    const finish = () => {
      clearTimeout(timer);
      off();
      resolve();
    };
    const timer = setTimeout(finish, ms);
    const off = engine.bus.subscribe(topic, () => {
      if (done()) finish();
    });
  });
}
