/**
 * The firm budget screens every way an order reaches the engine, not only TradingNode.route:
 * a bracket's entry placed by the order emulator, an OCO's legs (a list: each leg counted with
 * the one before it, denied whole), a scale list, and a modify that adds exposure (its
 * reservation topped up, the modify refused when the firm has no room). Against real NATS, one
 * paper node, a firm gross limit of 500 USDT and exact reservations (no credit chunk).
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { connect } from '@nats-io/transport-node';
import { Kvm } from '@nats-io/kv';
import { parseNodeConfig } from '../../../src/node/config/index.ts';
import { TradingNode } from '../../../src/node/trading-node.ts';
import { operatorOrigin } from '../../../src/engine/origin.ts';
import type { Origin } from '../../../src/engine/origin.ts';
import type { OrderEvent } from '../../../src/model/orders/events.ts';
import { controlBucket } from '../../../src/cluster/kill/firm-kill-switch.ts';
import { barsFile, smallConfig, yaml } from '../../node/small-node.ts';
import { natsAvailable, NATS_URL, useService } from '../../services.ts';
import { amountOf } from './support.ts';

const TAG = `s${process.pid}`;
const BUCKET = `budget_${TAG}`;
const FIRM = `firm_${TAG}`;
const RISK = { version: 1, limits: { default: { max_order_quantity: '100', max_order_notional: '10000000', max_position_quantity: '1000', max_position_notional: '100000000' } } };

const up = useService('NATS', await natsAvailable());

describe.runIf(up)('the firm budget screens lists, emulated legs and modifies', () => {
  let node: TradingNode;
  let origin: Origin;
  const denials = new Map<string, string>();
  const modifyRejected: string[] = [];
  const gross = (): bigint => node.cluster!.budget!.book.usage(new Set()).gross;
  const working = (): number => node.cluster!.budget!.book.workingCount;
  const limit = (id: string, quantity: string, price: string) => ({ clientOrderId: id, accountId: 'ACC-1', instrumentId: 'BTCUSDT.SIM', side: 'BUY', type: 'LIMIT', quantity, price });
  const cancelAll = async (): Promise<void> => {
    await node.engine.execute({ kind: 'CancelAllOrders' }, origin);
    await vi.waitFor(() => expect(working()).toBe(0), { timeout: 5_000 });
  };

  beforeAll(async () => {
    const dir = mkdtempSync(join(tmpdir(), 'warden-screen-'));
    const cluster = { nats: NATS_URL, node_id: 'scr1', firm: FIRM, publish: false, budget: { bucket: BUCKET, max_gross_exposure: '500' } };
    const text = yaml(smallConfig(dir, barsFile(dir, 20), { node: { id: 'scr1', mode: 'paper' }, risk: RISK, cluster }));
    node = await TradingNode.start(parseNodeConfig(text, { env: {}, baseDir: dir }).config);
    await node.run({ keepOpen: true });
    origin = operatorOrigin(node.engine.authority.issue('tester', ['TRADE', 'RISK']));
    node.engine.bus.subscribe('order', (e: OrderEvent) => {
      if (e.kind === 'OrderDenied') denials.set(e.clientOrderId, e.code);
      if (e.kind === 'OrderModifyRejected') modifyRejected.push(`${e.clientOrderId} ${e.reason}`);
    });
  });

  afterAll(async () => {
    await node?.stop().catch(() => undefined);
    const nc = await connect({ servers: NATS_URL });
    for (const b of [BUCKET, controlBucket(FIRM)]) await (await new Kvm(nc).open(b)).destroy().catch(() => undefined);
    await nc.close();
  });

  it("denies a bracket's entry placed by the emulator when the firm has no room, and reserves one that fits", async () => {
    const em = node.orderEmulator;
    await em.submitBracket({ entry: limit('br-big', '0.03', '19500'), takeProfitPrice: '21000', stopLossTriggerPrice: '19000' }, origin);
    expect(denials.get('br-big')).toBe('FIRM_BUDGET_EXCEEDED');
    expect(working()).toBe(0);
    await em.submitBracket({ entry: limit('br-ok', '0.02', '19500'), takeProfitPrice: '21000', stopLossTriggerPrice: '19000' }, origin);
    expect(denials.has('br-ok')).toBe(false);
    expect(node.engine.order('br-ok')?.isOpen).toBe(true);
    expect(gross()).toBe(amountOf('390'));
    await cancelAll();
  });

  it('denies an OCO whole when its two legs together exceed the firm budget, and hands back the leg that fitted', async () => {
    // 292.5 + 291 = 583.5 > 500: each alone fits.
    await node.orderEmulator.submitOco(limit('oco-a', '0.015', '19500'), limit('oco-b', '0.015', '19400'), origin);
    expect(denials.get('oco-a')).toBe('FIRM_BUDGET_EXCEEDED');
    expect(denials.get('oco-b')).toBe('FIRM_BUDGET_EXCEEDED');
    expect(working()).toBe(0);
    expect(gross()).toBe(0n);
  });

  it('denies a scale list whole past the budget and reserves every leg of one within it', async () => {
    const scale = (id: string, total: string) => ({ clientOrderId: id, accountId: 'ACC-1', instrumentId: 'BTCUSDT.SIM', side: 'BUY' as const, totalQuantity: total, count: 3, startPrice: '19500', priceStep: '10' });
    const big = await node.orderEmulator.submitScale(scale('sc-big', '0.03'), origin);
    expect(big.denied.map((d) => d.code)).toEqual(['FIRM_BUDGET_EXCEEDED', 'FIRM_BUDGET_EXCEEDED', 'FIRM_BUDGET_EXCEEDED']);
    expect(working()).toBe(0);
    const ok = await node.orderEmulator.submitScale(scale('sc-ok', '0.015'), origin);
    expect(ok.denied).toEqual([]);
    expect(working()).toBe(3);
    await cancelAll();
  });

  it('refuses a modify that would take the order past the firm budget, and tops up the reservation for one within it', async () => {
    expect((await node.route(limit('mod-1', '0.01', '19500'), origin)).denied).toEqual([]);
    expect(gross()).toBe(amountOf('195'));
    const tooBig = await node.engine.modifyOrder('mod-1', { quantity: '0.03' }, origin);
    expect(tooBig.denied.map((d) => d.code)).toEqual(['FIRM_BUDGET_EXCEEDED']);
    expect(modifyRejected.some((r) => r.startsWith('mod-1 FIRM_BUDGET_EXCEEDED'))).toBe(true);
    expect(gross()).toBe(amountOf('195'));
    const within = await node.engine.modifyOrder('mod-1', { quantity: '0.02' }, origin);
    expect(within.denied).toEqual([]);
    // Covered before and after the change (the venue may refuse it): 0.02 × 19500.
    expect(gross()).toBe(amountOf('390'));
    // A lower price needs nothing more.
    expect((await node.engine.modifyOrder('mod-1', { price: '19200' }, origin)).denied).toEqual([]);
    expect(gross()).toBe(amountOf('390'));
    await vi.waitFor(() => expect(node.engine.order('mod-1')?.price?.toString()).toBe('19200.00'), { timeout: 5_000 });
    await cancelAll();
    expect(gross()).toBe(0n);
  });

  it('reserves once for one client order id sent twice at once, and keeps nothing when the gate denies the first', async () => {
    const twice = async (id: string, price: string): Promise<string[]> => {
      const settled = await Promise.allSettled([node.route(limit(id, '0.01', price), origin), node.route(limit(id, '0.01', price), origin)]);
      return settled.map((r) => (r.status === 'fulfilled' ? (r.value.denied[0]?.code ?? 'ACCEPTED') : String((r.reason as { code?: string }).code))).sort();
    };
    // Identical to an order of a moment ago: the gate denies the first (DUPLICATE_ORDER), the engine refuses the second's id.
    expect((await node.route(limit('dup-0', '0.01', '19400'), origin)).denied).toEqual([]);
    expect(await twice('dup-1', '19400')).toEqual(['DUPLICATE_CLIENT_ORDER_ID', 'DUPLICATE_ORDER']);
    expect(working()).toBe(1);
    expect(gross()).toBe(amountOf('194'));
    // The denied id sent once more: refused by the engine, with nothing reserved for it.
    await expect(node.route(limit('dup-1', '0.01', '19399'), origin)).rejects.toMatchObject({ code: 'DUPLICATE_CLIENT_ORDER_ID' });
    expect(gross()).toBe(amountOf('194'));
    expect(await twice('dup-2', '19401')).toEqual(['ACCEPTED', 'DUPLICATE_CLIENT_ORDER_ID']);
    expect(working()).toBe(2);
    expect(gross()).toBe(amountOf('388.01'));
    await cancelAll();
    expect(gross()).toBe(0n);
  });
});
