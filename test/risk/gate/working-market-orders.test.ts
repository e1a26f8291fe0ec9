import { describe, expect, it } from 'vitest';
import { Engine } from '../../../src/engine/engine.ts';
import { createOrderSpec } from '../../../src/model/orders/factory.ts';
import { RiskGate } from '../../../src/risk/gate/index.ts';
import { BTC, gateSetup, limit, limitsConfig, marketBuy, type GateHarness, type Overrides } from './fixtures.ts';

/**
 * Market orders sent one by one: the portfolio locks nothing for a working market order, so the
 * gate counts each one's estimated cost (reference price × leaves + taker fee) against the free
 * balance until it fills or closes. BTC taker fee 10 bps, reference 24,000: BUY 0.005 needs
 * 120 + 0.12 = 120.12 USDT.
 */
const wide = { max_order_quantity: '5', max_order_notional: '150000', max_position_quantity: '1000', max_position_notional: '100000000' };
const over: Overrides = { instruments: { [BTC]: wide } };

/** ACC-1 with 2,000 USDT and no BTC; market orders rest at the venue until a test fills them. */
async function twoThousand(): Promise<GateHarness> {
  const h = await gateSetup(over, { usdt: '2000', btc: '0' });
  h.market.last = undefined;
  return h;
}

async function sendSingly(h: GateHarness, ids: readonly string[]): Promise<string[]> {
  const out: string[] = [];
  for (const id of ids) {
    const r = await h.engine.submitOrder(marketBuy(id, '0.005'));
    out.push(r.denied[0]?.code ?? 'ok');
  }
  return out;
}

const ids = (from: number, to: number): string[] => Array.from({ length: to - from + 1 }, (_, i) => `M-${from + i}`);

describe('working market orders count against buying power at their estimated cost (sent singly)', () => {
  it('40 single market BUY 0.005 against 2,000 USDT: 16 pass (1,921.92), the 17th finds 78.08 free and the rest are INSUFFICIENT_BUYING_POWER', async () => {
    const h = await twoThousand();
    const codes = await sendSingly(h, ids(1, 40));
    expect(codes.slice(0, 16)).toEqual(Array.from({ length: 16 }, () => 'ok'));
    expect(codes.slice(16)).toEqual(Array.from({ length: 24 }, () => 'INSUFFICIENT_BUYING_POWER'));
    expect(h.venue.calls.filter((c) => c.kind === 'submit')).toHaveLength(16);
    const d = (await h.engine.submitOrder(marketBuy('M-X', '0.005'))).denied[0];
    expect(d?.reason).toContain('needs 120.12000000 USDT (notional plus taker fee), account ACC-1 has 78.08000000 USDT free');
    // Nothing is locked in the ledger: the estimate is the gate's own running figure.
    expect(h.engine.portfolio.account('ACC-1' as never).balance(h.engine.instrument(BTC).settlement).locked.raw).toBe(0n);
  });

  it('a fill releases the estimate: M-1 filled at 12,000 costs 60.06 of its 120.12, so 138.14 is free and M-41 passes; M-42 (18.02 free) does not', async () => {
    const h = await twoThousand();
    await sendSingly(h, ids(1, 17));
    // Filled at the reference price the fill costs what was estimated: still 78.08 free.
    h.venue.fill('M-2', '0.005', '24000.00', 'TAKER');
    expect(await sendSingly(h, ['M-40'])).toEqual(['INSUFFICIENT_BUYING_POWER']);
    h.venue.fill('M-1', '0.005', '12000.00', 'TAKER');
    expect(await sendSingly(h, ['M-41', 'M-42'])).toEqual(['ok', 'INSUFFICIENT_BUYING_POWER']);
    const d = (await h.engine.submitOrder(marketBuy('M-43', '0.005'))).denied[0];
    expect(d?.reason).toContain('has 18.02000000 USDT free');
  });

  it('closing releases the estimate: canceling one of 16 working market buys lets the next one through', async () => {
    const h = await twoThousand();
    expect(await sendSingly(h, ids(1, 17))).toContain('INSUFFICIENT_BUYING_POWER');
    await h.engine.cancelOrder('M-3');
    expect(await sendSingly(h, ['M-18', 'M-19'])).toEqual(['ok', 'INSUFFICIENT_BUYING_POWER']);
  });

  it('the estimate moves with the reference price: at 12,000 the same 16 working buys need 960.96 and 17 more pass (1,021.02)', async () => {
    const h = await twoThousand();
    await sendSingly(h, ids(1, 16));
    h.ref(BTC, '12000');
    // 2,000 − 16 × 60.06 = 1,039.04 free; each needs 60.06: 17 more would be 1,021.02, 18 more 1,081.08.
    const codes = await sendSingly(h, ids(17, 35));
    expect(codes.filter((c) => c === 'ok')).toHaveLength(17);
    expect(codes.at(-1)).toBe('INSUFFICIENT_BUYING_POWER');
  });

  it('limit orders keep their ledger lock and are not counted twice: a limit BUY 0.08 @ 24,000 (1,920 locked) leaves room for no market buy', async () => {
    const h = await twoThousand();
    expect((await h.engine.submitOrder(limit('L-1', 'BUY', '0.08', '24000.00'))).denied).toEqual([]);
    // 2,000 − 1,920 = 80 free < 120.12.
    expect(await sendSingly(h, ['M-1'])).toEqual(['INSUFFICIENT_BUYING_POWER']);
    await h.engine.cancelOrder('L-1');
    expect(await sendSingly(h, ['M-2'])).toEqual(['ok']);
  });

  it('replay: a new RiskGate folded from the journal denies the 17th market buy with the same 78.08 free', async () => {
    const h = await twoThousand();
    await sendSingly(h, ids(1, 16));
    const gate = new RiskGate(limitsConfig(over));
    const replayed = await Engine.fromJournal(h.journal, { clock: h.clock, gate });
    replayed.updateMarket(BTC, { last: replayed.instrument(BTC).price('24000') });
    const inst = replayed.instrument(BTC);
    const probe = (e: Engine, g: RiskGate) => g.check({ kind: 'submit', spec: createOrderSpec(marketBuy('P-1', '0.005'), inst, e.now()), instrument: inst }, e);
    const v = probe(replayed, gate);
    expect(v).toEqual(probe(h.engine, h.gate));
    expect(v.ok ? 'ok' : [v.code, v.reason.includes('has 78.08000000 USDT free')]).toEqual(['INSUFFICIENT_BUYING_POWER', true]);
  });
});
