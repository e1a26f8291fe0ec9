/* eslint-disable @typescript-eslint/no-unsafe-member-access, @typescript-eslint/no-unsafe-assignment, @typescript-eslint/no-unsafe-call, @typescript-eslint/no-unsafe-return, @typescript-eslint/no-unsafe-argument -- the API's JSON answers are checked by the assertions, not by types */
/**
 * The firm view (no engine) folds the events of three nodes from the firm's stream and shows, per
 * node and in total, what each node's own engine holds: the same orders, the same positions, the
 * same exposure at the last fill; totals are the exact sums of the nodes' figures.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { natsAvailable, useService } from '../../services.ts';
import { orderView } from '../../../src/server/views.ts';
import { Money } from '../../../src/model/money.ts';
import type { TradingNode } from '../../../src/node/trading-node.ts';
import { NodeReadModel } from '../../../src/cluster/firm-view/node-model.ts';
import type { JournalRecord } from '../../../src/engine/events.ts';
import { decimalSum } from '../../server/support.ts';
import { startTestFirm, startTestFirmView, viewCaughtUp, type TestFirm, type TestFirmView } from '../firm-support.ts';
import { deleteStream } from '../support.ts';

/** A decimal without trailing zeros: "347.00970" and "347.0097" are the same amount. */
const plain = (d: string): string => (d.includes('.') ? d.replace(/0+$/, '').replace(/\.$/, '') : d);

/** Each currency's gross and net exposure of a node's open positions at their last fill, from the node's own portfolio. */
function exposureAtLastFill(node: TradingNode): Map<string, { gross: string; net: string }> {
  const raw = new Map<string, { gross: bigint; net: bigint; money: (r: bigint) => string }>();
  for (const p of node.engine.portfolio.openPositions()) {
    const c = p.instrument.settlement;
    const f = raw.get(c.code) ?? { gross: 0n, net: 0n, money: (r: bigint) => Money.fromRaw(r, c).toDecimalString() };
    const v = p.marketValueRaw(p.lastFillPx!);
    f.net += v;
    f.gross += v < 0n ? -v : v;
    raw.set(c.code, f);
  }
  return new Map([...raw].map(([k, f]) => [k, { gross: f.money(f.gross), net: f.money(f.net) }]));
}

describe.runIf(useService('NATS', await natsAvailable()))('firm view over three nodes', () => {
  let firm: TestFirm;
  let v: TestFirmView;
  let nodes: [string, TradingNode][];

  beforeAll(async () => {
    firm = await startTestFirm('fv');
    nodes = Object.entries(firm.nodes);
    v = await startTestFirmView(firm.firm);
    await viewCaughtUp(v, Object.values(firm.nodes));
  }, 120_000);

  afterAll(async () => {
    await v?.view.close();
    await firm?.close();
    const nc = await (await import('@nats-io/transport-node')).connect({ servers: (await import('../../services.ts')).NATS_URL });
    await deleteStream(nc, firm.firm);
    await nc.close();
  }, 60_000);

  it('lists every node with all of its journal applied, no gap, nothing refused', async () => {
    const r = await v.get('/api/firm/nodes', v.tokens.viewer);
    expect(r.status).toBe(200);
    expect(r.body.map((n: { node: string }) => n.node)).toEqual(['alpha', 'beta', 'gamma']);
    for (const n of r.body) {
      expect(n).toMatchObject({ appliedSeq: firm.nodes[n.node as keyof TestFirm['nodes']].records.durableSeq(), waiting: 0, refused: 0 });
    }
  });

  it("shows each node's orders exactly as its engine holds them", async () => {
    for (const [id, node] of nodes) {
      const r = await v.get(`/api/firm/orders?node=${id}`, v.tokens.viewer);
      const own = [...node.engine.state.orders.values()].map((o) => ({ node: id, ...JSON.parse(JSON.stringify(orderView(o))) }));
      expect(own.length).toBeGreaterThan(0);
      expect(r.body).toEqual(own);
    }
    const all = await v.get('/api/firm/orders', v.tokens.viewer);
    expect(all.body.length).toBe(nodes.reduce((n, [, node]) => n + node.engine.state.orders.size, 0));
  });

  it("shows each node's open positions with its quantity, entry and realized PnL, marked at the last fill", async () => {
    const r = await v.get('/api/firm/positions', v.tokens.viewer);
    const expected = nodes.flatMap(([id, node]) =>
      node.engine.portfolio.openPositions().map((p) => ({ node: id, positionId: p.id, side: p.side, quantity: p.quantity.toString(), avgEntryPx: p.avgEntryPxText(), realizedPnl: p.realizedPnl.toDecimalString(), markPx: p.lastFillPx?.toString() })),
    );
    expect(expected.length).toBeGreaterThanOrEqual(3);
    expect(r.body.map((p: Record<string, unknown>) => ({ node: p.node, positionId: p.positionId, side: p.side, quantity: p.quantity, avgEntryPx: p.avgEntryPx, realizedPnl: p.realizedPnl, markPx: p.markPx }))).toEqual(expected);
  });

  it('shows risk per node matching its own portfolio, and the firm total as the exact sum of the nodes', async () => {
    const r = await v.get('/api/firm/risk', v.tokens.viewer);
    expect(r.status).toBe(200);
    const { nodes: perNode, total } = r.body;
    for (const [id, node] of nodes) {
      const mine = perNode.find((n: { node: string }) => n.node === id);
      expect(mine.openOrders).toBe([...node.engine.openOrders()].length);
      expect(mine.killSwitch).toEqual({ engaged: false });
      for (const [ccy, e] of exposureAtLastFill(node)) {
        expect(mine.byCurrency.find((c: { currency: string }) => c.currency === ccy)).toMatchObject({ grossExposure: e.gross, netExposure: e.net });
      }
    }
    for (const t of total.byCurrency) {
      const parts = perNode.flatMap((n: { byCurrency: { currency: string; grossExposure: string; realizedPnl: string }[] }) => n.byCurrency.filter((c) => c.currency === t.currency));
      expect(plain(t.grossExposure)).toBe(plain(decimalSum(parts.map((c: { grossExposure: string }) => c.grossExposure))));
      expect(plain(t.realizedPnl)).toBe(plain(decimalSum(parts.map((c: { realizedPnl: string }) => c.realizedPnl))));
    }
    expect(total.byCurrency.map((c: { currency: string }) => c.currency)).toEqual(['USDC', 'USDT']);
    expect(total.openPositions).toBe(nodes.reduce((n, [, node]) => n + node.engine.portfolio.openPositions().length, 0));
  });

  it('answers 401 without credentials, like every read of a node', async () => {
    for (const path of ['/api/firm/nodes', '/api/firm/orders', '/api/firm/positions', '/api/firm/risk']) {
      const r = await v.get(path);
      expect(r.status).toBe(401);
      expect(r.body.error.code).toBe('UNAUTHENTICATED');
    }
    expect((await v.get('/api/health')).body).toMatchObject({ ok: true, mode: 'firm', firm: firm.firm, nodes: 3 });
  });

  it("answers with the node server's security headers (src/server/hardening.ts)", async () => {
    const res = await fetch(`${v.view.url}/api/firm/nodes`);
    expect(Object.fromEntries(['x-content-type-options', 'x-frame-options', 'referrer-policy', 'cross-origin-opener-policy', 'cache-control'].map((h) => [h, res.headers.get(h)]))).toEqual({
      'x-content-type-options': 'nosniff',
      'x-frame-options': 'DENY',
      'referrer-policy': 'no-referrer',
      'cross-origin-opener-policy': 'same-origin',
      'cache-control': 'no-store',
    });
    expect(res.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
  });

  it('folds a node in journal order whatever order the stream brings, each seq once', async () => {
    const node = firm.nodes.beta;
    const records: JournalRecord[] = [];
    for await (const rec of node.records.read(1)) records.push(rec);
    const m = new NodeReadModel('beta');
    // Pairs swapped, and every tenth sent twice: as a publisher's retry and a restart can leave the stream.
    for (let i = 0; i < records.length; i += 2) {
      const pair = records.slice(i, i + 2).reverse();
      for (const rec of pair) {
        m.offer(rec.seq, rec.event);
        if (rec.seq % 10 === 0) m.offer(rec.seq, rec.event);
      }
    }
    expect(m.status()).toMatchObject({ appliedSeq: records.length, waiting: 0, refused: 0, duplicates: Math.floor(records.length / 10) });
    expect([...m.state.orders.values()].map(orderView)).toEqual([...node.engine.state.orders.values()].map(orderView));
  });
});
