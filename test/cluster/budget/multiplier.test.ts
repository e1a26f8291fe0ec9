/**
 * The firm budget values a contract with a multiplier as what it is worth: quantity × price ×
 * multiplier, as the firm view's market value does. A perpetual of multiplier 10 next to the spot,
 * bought once by a strategy during the replay: its holding takes exactly the position's market
 * value from the budget, its orders reserve ten times their quantity × price, and one past the firm
 * limit is denied. Against real NATS, one paper node, exact reservations (no credit chunk).
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
import { AMOUNT_SCALE } from '../../../src/cluster/budget/ledger.ts';
import { controlBucket } from '../../../src/cluster/kill/firm-kill-switch.ts';
import { pow10 } from '../../../src/model/decimal.ts';
import type { Strategy, StrategyFactory } from '../../../src/backtest/strategy.ts';
import { barsFile, smallConfig, yaml } from '../../node/small-node.ts';
import { natsAvailable, NATS_URL, useService } from '../../services.ts';
import { amountOf } from './support.ts';

const TAG = `m${process.pid}`;
const BUCKET = `budget_${TAG}`;
const FIRM = `firm_${TAG}`;
const PERP = 'BTCPERP.SIM';
const RISK = { version: 1, limits: { default: { max_order_quantity: '100', max_order_notional: '100000000', max_position_quantity: '1000', max_position_notional: '1000000000' } } };

/** Buys 0.003 of the perpetual at market on its first bar. */
const perpBuyer: StrategyFactory = {
  name: 'perp-buyer',
  description: 'test: buys the perpetual once',
  params: [],
  create: (): Strategy => {
    let sent = false;
    return {
      name: 'perp-buyer',
      async onBar(bar, ctx) {
        if (sent || bar.instrumentId !== PERP) return;
        sent = true;
        await ctx.submit({ instrumentId: PERP, side: 'BUY', type: 'MARKET', quantity: '0.003' });
      },
    };
  },
};

describe.runIf(useService('NATS', await natsAvailable()))('the firm budget counts the contract multiplier', () => {
  let node: TradingNode;
  let origin: Origin;
  const book = () => node.cluster!.budget!.book;
  const gross = (): bigint => book().usage(new Set()).gross;
  const limit = (id: string, side: 'BUY' | 'SELL', quantity: string, price: string) => ({ clientOrderId: id, accountId: 'ACC-M', instrumentId: PERP, side, type: 'LIMIT', quantity, price });
  let held = 0n;

  beforeAll(async () => {
    const dir = mkdtempSync(join(tmpdir(), 'warden-mult-'));
    const file = barsFile(dir, 20);
    const base = smallConfig(dir, file);
    const cluster = { nats: NATS_URL, node_id: 'mul1', firm: FIRM, publish: false, budget: { bucket: BUCKET, max_gross_exposure: '1000' } };
    const config = {
      ...base,
      node: { id: 'mul1', mode: 'paper', journal: { sqlite: join(dir, 'journal.sqlite') } },
      accounts: [...(base.accounts as object[]), { id: 'ACC-M', type: 'MARGIN', venue: 'SIM', balances: { USDT: '100000' } }],
      instruments: [...(base.instruments as object[]), { id: PERP, kind: 'PERPETUAL', base: 'BTC', quote: 'USDT', tick_size: '0.01', lot_size: '0.001', multiplier: '10' }],
      data: { speed: 'max', replay: [{ file, instrument: 'BTCUSDT.SIM' }, { file, instrument: PERP }] },
      risk: RISK,
      cluster,
    };
    const parsed = parseNodeConfig(yaml(config), { env: {}, baseDir: dir }).config;
    const strategies = [{ name: 'perp-buyer', id: 'perp-1', params: {}, instruments: [PERP], account: 'ACC-M' }];
    node = await TradingNode.start({ ...parsed, strategies }, { strategies: { 'perp-buyer': perpBuyer } });
    await node.run({ keepOpen: true });
    origin = operatorOrigin(node.engine.authority.issue('tester', ['TRADE', 'RISK']));
  });

  afterAll(async () => {
    await node?.stop().catch(() => undefined);
    const nc = await connect({ servers: NATS_URL });
    for (const b of [BUCKET, controlBucket(FIRM)]) await (await new Kvm(nc).open(b)).destroy().catch(() => undefined);
    await nc.close();
  });

  it('holds the filled position at its market value, as the firm view values it', () => {
    const pos = node.engine.portfolio.openPositions().find((p) => p.instrumentId === PERP);
    expect(pos?.lastFillPx).toBeDefined();
    held = pos!.marketValueRaw(pos!.lastFillPx!) * pow10(AMOUNT_SCALE - pos!.instrument.settlement.precision);
    // About 0.003 × 20000 × 10 = 600 (unmultiplied it would be 60).
    expect(held > amountOf('590') && held < amountOf('610')).toBe(true);
    expect(gross()).toBe(held);
    expect(book().held(new Set([PERP])).long.get(PERP)).toBe(held);
  });

  it('reserves quantity × price × multiplier, and denies an order or a modify whose multiplied notional is past the limit', async () => {
    // 0.003 × 19100 × 10 = 573: past what is left of 1000 (unmultiplied, 57.3 would pass).
    expect((await node.route(limit('w-0', 'BUY', '0.003', '19100'), origin)).denied.map((d) => d.code)).toEqual(['FIRM_BUDGET_EXCEEDED']);
    // 0.002 × 19500 × 10 = 390: within.
    expect((await node.route(limit('w-1', 'BUY', '0.002', '19500'), origin)).denied).toEqual([]);
    expect(gross()).toBe(held + amountOf('390'));
    // Up to 0.003 (585) it would be past the limit.
    expect((await node.engine.modifyOrder('w-1', { quantity: '0.003' }, origin)).denied.map((d) => d.code)).toEqual(['FIRM_BUDGET_EXCEEDED']);
    expect(gross()).toBe(held + amountOf('390'));
    await node.engine.execute({ kind: 'CancelAllOrders' }, origin);
    await vi.waitFor(() => expect(book().workingCount).toBe(0), { timeout: 5_000 });
    expect(gross()).toBe(held);
  });

  it('reserves nothing for a sell of what is held', async () => {
    expect((await node.route(limit('s-1', 'SELL', '0.003', '20900'), origin)).denied).toEqual([]);
    expect(node.engine.order('s-1')?.isOpen).toBe(true);
    expect(book().workingCount).toBe(0);
    expect(gross()).toBe(held);
  });
});
