/**
 * FAULTS.md 6, 7, 8, 9, 12 and 13 re-checked end to end after issue 11, on the whole stack
 * (test/integration/stack.ts): risk.example.yaml behind guardedEngine, the simulated exchange
 * holding the accounts' balances, strategies through their StrategyContext. The unit-level
 * versions live in test/risk/gate/order-checks.test.ts (6, 7), test/engine/venue-refusals.test.ts
 * and test/venues/sim/exchange/reduce-only.test.ts (8), test/model/order-factory.test.ts and
 * test/risk/config/load.test.ts (9), test/risk/gate/exposure.test.ts (12, 13) and
 * test/engine/client-order-id-reuse.test.ts (7, ids beyond retention).
 */
import { mkdtempSync, rmSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Currencies } from '../../src/model/currency.ts';
import { WardenError } from '../../src/model/errors.ts';
import { SqliteJournal } from '../../src/journal/sqlite.ts';
import { loadRiskConfig } from '../../src/risk/config/load.ts';
import type { RiskConfig } from '../../src/risk/config/types.ts';
import { BTC, EXAMPLE, exampleConfig, restartStack, startStack } from './stack.ts';

const dir = mkdtempSync(join(tmpdir(), 'warden-recheck-orders-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The typed error a call rejects with (the test fails if it resolves). */
async function refusal(p: Promise<unknown>): Promise<WardenError> {
  const e = await p.then(
    () => undefined,
    (x: unknown) => x,
  );
  expect(e).toBeInstanceOf(WardenError);
  return e as WardenError;
}

describe('FAULTS 6: price outside the collar around a fresh reference price → denied; stale or missing reference price → denied, not skipped', () => {
  it('last 40,000.00, collar 2% or 200 ticks (the tighter: 2.00): buy 39,998.00 and sell 40,002.00 pass; buy 40,002.01 and sell 39,997.99 are PRICE_OUTSIDE_COLLAR and never reach the venue', async () => {
    const s = await startStack();
    const ctx = s.strategy('alpha');
    s.quote('39999.99', '40000.01', '40000.00');
    expect((await ctx.submit({ instrumentId: BTC, side: 'BUY', type: 'LIMIT', quantity: '0.1', price: '39998.00' })).denied).toEqual([]);
    expect((await ctx.submit({ instrumentId: BTC, side: 'SELL', type: 'LIMIT', quantity: '0.1', price: '40002.00' })).denied).toEqual([]);
    const up = await ctx.submit({ clientOrderId: 'C-UP', instrumentId: BTC, side: 'BUY', type: 'LIMIT', quantity: '0.1', price: '40002.01' });
    const down = await ctx.submit({ clientOrderId: 'C-DOWN', instrumentId: BTC, side: 'SELL', type: 'LIMIT', quantity: '0.1', price: '39997.99' });
    expect([...up.denied, ...down.denied].map((d) => d.code)).toEqual(['PRICE_OUTSIDE_COLLAR', 'PRICE_OUTSIDE_COLLAR']);
    expect(up.denied[0]?.reason).toContain('200 ticks');
    expect([s.placed.has('C-UP'), s.placed.has('C-DOWN'), s.ex.workingOrders().length]).toEqual([false, false, 2]);
  });

  it('a last 5,000 ms old passes, 5,001 ms old is REFERENCE_PRICE_STALE for limit and market orders, and a fresh bid/ask does not make the old last fresh', async () => {
    const s = await startStack();
    const ctx = s.strategy('alpha');
    s.quote('39999.99', '40000.01', '40000.00');
    s.clock.advance(5_000);
    expect((await ctx.submit({ instrumentId: BTC, side: 'BUY', type: 'LIMIT', quantity: '0.1', price: '39999.00' })).denied).toEqual([]);
    s.clock.advance(1);
    const limit = await ctx.submit({ instrumentId: BTC, side: 'BUY', type: 'LIMIT', quantity: '0.2', price: '39999.00' });
    const market = await ctx.market(BTC, 'BUY', '0.1');
    expect([...limit.denied, ...market.denied].map((d) => d.code)).toEqual(['REFERENCE_PRICE_STALE', 'REFERENCE_PRICE_STALE']);
    // The exchange's book moves on and the engine hears bid and ask, but no trade: the last is still 5,001 ms old.
    s.ex.onQuote(s.inst(), s.inst().price('40100.00'), s.inst().price('40100.02'));
    s.engine.updateMarket(BTC, { bid: s.inst().price('40100.00'), ask: s.inst().price('40100.02') });
    const after = await ctx.market(BTC, 'BUY', '0.1');
    expect(after.denied.map((d) => d.code)).toEqual(['REFERENCE_PRICE_STALE']);
    expect(s.position()).toBe('0.00000');
    expect(s.placed.size).toBe(1);
  });

  it('an instrument with limits (the default) but no price ever seen: REFERENCE_PRICE_MISSING for a limit and a market order; after a first trade print it passes', async () => {
    const s = await startStack();
    const eth = await s.engine.registerInstrument({ id: 'ETHUSDT.BINANCE', kind: 'SPOT', base: Currencies.ETH, quote: Currencies.USDT, tickSize: '0.01', lotSize: '0.0001' });
    s.ex.list(eth);
    const a = await s.submit({ clientOrderId: 'E-1', instrumentId: eth.id, side: 'BUY', type: 'LIMIT', quantity: '1', price: '2000.00' });
    const b = await s.submit({ clientOrderId: 'E-2', instrumentId: eth.id, side: 'BUY', type: 'MARKET', quantity: '1' });
    expect([...a.denied, ...b.denied].map((d) => d.code)).toEqual(['REFERENCE_PRICE_MISSING', 'REFERENCE_PRICE_MISSING']);
    expect(s.placed.size).toBe(0);
    s.engine.updateMarket(eth.id, { last: eth.price('2000.00') });
    expect((await s.submit({ clientOrderId: 'E-3', instrumentId: eth.id, side: 'BUY', type: 'LIMIT', quantity: '1', price: '2000.00' })).denied).toEqual([]);
  });
});

describe('FAULTS 7: duplicate client order id, or an identical order inside the duplicate window → denied', () => {
  it('an id is refused while remembered, after 6 later orders pushed it out of a 2-order retention, and after a restart on the reopened SQLite file; the venue saw it once', async () => {
    const path = join(dir, 'dup.sqlite');
    const engine = { retainClosedOrders: 2, retainClientOrderIds: 2 };
    const s = await startStack({ journal: SqliteJournal.open({ path }), engine });
    const ctx = s.strategy('alpha');
    s.quote('39999.99', '40000.01', '40000.00');
    expect((await ctx.submit({ clientOrderId: 'D-1', instrumentId: BTC, side: 'BUY', type: 'MARKET', quantity: '0.1' })).denied).toEqual([]);
    expect(s.engine.order('D-1')?.status).toBe('FILLED');
    const again = () => ctx.submit({ clientOrderId: 'D-1', instrumentId: BTC, side: 'BUY', type: 'MARKET', quantity: '0.2' });
    expect((await refusal(again())).code).toBe('DUPLICATE_CLIENT_ORDER_ID');
    for (let i = 2; i <= 7; i++) {
      s.clock.advance(1_001); // past the 1,000 ms duplicate window
      s.quote('39999.99', '40000.01', '40000.00');
      expect((await ctx.submit({ clientOrderId: `D-${i}`, instrumentId: BTC, side: 'BUY', type: 'MARKET', quantity: '0.1' })).denied).toEqual([]);
    }
    expect(s.engine.order('D-1')).toBeUndefined(); // out of memory: only the journal knows it now
    expect((await refusal(again())).code).toBe('DUPLICATE_CLIENT_ORDER_ID');

    await s.journal.close();
    const r = await restartStack(s, { journal: SqliteJournal.open({ path }) });
    expect(r.engine.lastSeq).toBeGreaterThan(20);
    const ctx2 = r.strategy('alpha');
    r.quote('39999.99', '40000.01', '40000.00');
    expect((await refusal(ctx2.submit({ clientOrderId: 'D-1', instrumentId: BTC, side: 'BUY', type: 'MARKET', quantity: '0.3' }))).code).toBe('DUPLICATE_CLIENT_ORDER_ID');
    expect((await refusal(ctx2.submit({ clientOrderId: 'D-7', instrumentId: BTC, side: 'BUY', type: 'MARKET', quantity: '0.3' }))).code).toBe('DUPLICATE_CLIENT_ORDER_ID');
    expect([r.placed.get('D-1'), r.placed.get('D-7'), r.position()]).toEqual([1, 1, '0.70000']);
    await r.journal.close();
  });

  it('an identical BUY 0.1 @ 39,999.00 999 ms later is DUPLICATE_ORDER; another quantity passes at once, the same order at 1,000 ms passes', async () => {
    const s = await startStack();
    const ctx = s.strategy('alpha');
    s.quote('39999.99', '40000.01', '40000.00');
    const order = { instrumentId: BTC, side: 'BUY', type: 'LIMIT', quantity: '0.1', price: '39999.00' } as const;
    expect((await ctx.submit(order)).denied).toEqual([]);
    s.clock.advance(999);
    const dup = await ctx.submit(order);
    expect(dup.denied.map((d) => d.code)).toEqual(['DUPLICATE_ORDER']);
    expect((await ctx.submit({ ...order, quantity: '0.10001' })).denied).toEqual([]);
    s.clock.advance(1);
    expect((await ctx.submit(order)).denied).toEqual([]);
    expect(s.placed.has(dup.denied[0]!.clientOrderId)).toBe(false);
    expect(s.ex.workingOrders()).toHaveLength(3);
  });
});

describe('FAULTS 8: GTD expiring in the past, post-only that would cross, reduce-only that would increase, FOK that cannot fill → denied or canceled as the venue would', () => {
  it('GTD at now is EXPIRE_TIME_IN_PAST (nothing journaled); GTD at now + 60 s rests and is EXPIRED by the venue 60 s later, nothing locked', async () => {
    const s = await startStack();
    const ctx = s.strategy('alpha');
    s.quote('39999.99', '40000.01', '40000.00');
    const seq = s.engine.lastSeq;
    const past = await refusal(ctx.submit({ instrumentId: BTC, side: 'BUY', type: 'LIMIT', quantity: '0.1', price: '39999.00', timeInForce: 'GTD', expireTime: s.clock.now() }));
    expect([past.code, s.engine.lastSeq]).toEqual(['EXPIRE_TIME_IN_PAST', seq]);
    const r = await ctx.submit({ clientOrderId: 'GTD-1', instrumentId: BTC, side: 'BUY', type: 'LIMIT', quantity: '0.1', price: '39999.00', timeInForce: 'GTD', expireTime: s.clock.now() + 60_000 });
    expect(r.denied).toEqual([]);
    // The engine locks the notional; the venue holds it plus the taker fee, as a spot venue does.
    expect([s.balance('ACC-1', 'USDT').locked.toDecimalString(), s.venueBalance('ACC-1', 'USDT')?.locked.toDecimalString()]).toEqual(['3999.90000000', '4003.89990000']);
    s.clock.advance(60_000);
    s.ex.advance();
    expect(s.engine.order('GTD-1')?.status).toBe('EXPIRED');
    expect([s.balance('ACC-1', 'USDT').locked.toDecimalString(), s.venueBalance('ACC-1', 'USDT')?.locked.toDecimalString()]).toEqual(['0.00000000', '0.00000000']);
  });

  it('a post-only buy at the ask 40,000.01 is rejected POST_ONLY_WOULD_CROSS by the venue; at 40,000.00 it rests', async () => {
    const s = await startStack();
    const ctx = s.strategy('alpha');
    s.quote('39999.99', '40000.01', '40000.00');
    await ctx.submit({ clientOrderId: 'PO-1', instrumentId: BTC, side: 'BUY', type: 'LIMIT', quantity: '0.1', price: '40000.01', postOnly: true });
    expect(s.engine.order('PO-1')?.status).toBe('REJECTED');
    expect(s.events.find((e) => e.clientOrderId === 'PO-1' && e.kind === 'OrderRejected')).toMatchObject({ reason: 'POST_ONLY_WOULD_CROSS' });
    await ctx.submit({ clientOrderId: 'PO-2', instrumentId: BTC, side: 'BUY', type: 'LIMIT', quantity: '0.1', price: '40000.00', postOnly: true });
    expect(s.engine.order('PO-2')?.status).toBe('ACCEPTED');
    expect(s.position()).toBe('0.00000');
  });

  it('flat, a reduce-only sell of 0.1 is REDUCE_ONLY_WOULD_INCREASE; long 1 with a resting reduce-only SELL 1 @ 40,001, a market sell of 1 flattens and the resting order dies: a print of 10 at 40,001 leaves both books flat', async () => {
    const s = await startStack();
    const ctx = s.strategy('alpha');
    s.quote('39999.99', '40000.01', '40000.00');
    const flat = await ctx.submit({ instrumentId: BTC, side: 'SELL', type: 'MARKET', quantity: '0.1', reduceOnly: true });
    expect(flat.denied.map((d) => d.code)).toEqual(['REDUCE_ONLY_WOULD_INCREASE']);
    await ctx.market(BTC, 'BUY', '1');
    expect(s.position()).toBe('1.00000');
    await ctx.submit({ clientOrderId: 'RO-1', instrumentId: BTC, side: 'SELL', type: 'LIMIT', quantity: '1', price: '40001.00', reduceOnly: true });
    expect(s.engine.order('RO-1')?.status).toBe('ACCEPTED');
    s.clock.advance(1_001);
    s.quote('39999.99', '40000.01', '40000.00');
    expect((await ctx.market(BTC, 'SELL', '1')).denied).toEqual([]);
    await s.settle();
    expect(s.position()).toBe('0.00000');
    s.trade('40001.00', '10');
    await s.settle();
    expect([s.engine.order('RO-1')?.isOpen, s.engine.order('RO-1')?.filledQty.toString()]).toEqual([false, '0.00000']);
    expect([s.position(), await s.venuePosition()]).toEqual(['0.00000', '0.00000']);
    expect(s.ex.workingOrders()).toHaveLength(0);
  });

  it('a FOK BUY 1 @ 40,000.01 against 0.5 offered is canceled unfilled by the venue; the 0.5 is still there for a FOK BUY 0.5', async () => {
    const s = await startStack();
    const ctx = s.strategy('alpha');
    const i = s.inst();
    s.ex.onDepth(i, [[i.price('39999.99'), i.quantity('5')]], [[i.price('40000.01'), i.quantity('0.5')]]);
    s.engine.updateMarket(BTC, { last: i.price('40000.00') });
    await ctx.submit({ clientOrderId: 'FOK-1', instrumentId: BTC, side: 'BUY', type: 'LIMIT', quantity: '1', price: '40000.01', timeInForce: 'FOK' });
    expect([s.engine.order('FOK-1')?.status, s.engine.order('FOK-1')?.filledQty.toString()]).toEqual(['CANCELED', '0.00000']);
    expect(s.balance('ACC-1', 'USDT').locked.toDecimalString()).toBe('0.00000000');
    await ctx.submit({ clientOrderId: 'FOK-2', instrumentId: BTC, side: 'BUY', type: 'LIMIT', quantity: '0.5', price: '40000.01', timeInForce: 'FOK' });
    expect([s.engine.order('FOK-2')?.status, s.position(), await s.venuePosition()]).toEqual(['FILLED', '0.50000', '0.50000']);
  });
});

describe('FAULTS 9: malformed API payloads and config files → precise validation errors naming the field', () => {
  it('junk commands through the engine and the strategy context: typed errors naming the field, nothing journaled, nothing sent', async () => {
    const s = await startStack();
    const ctx = s.strategy('alpha');
    s.quote('39999.99', '40000.01', '40000.00');
    const seq = s.engine.lastSeq;
    const cases: [() => Promise<unknown>, string, string][] = [
      [() => s.engine.execute(null as never), 'INVALID_FIELD', 'command'],
      [() => s.engine.execute({ kind: 'Explode' } as never), 'INVALID_FIELD', 'kind'],
      [() => ctx.submit({ instrumentId: BTC, side: 'BUYY', type: 'LIMIT', quantity: '0.1', price: '39999.00' }), 'INVALID_FIELD', 'side'],
      [() => ctx.submit({ instrumentId: BTC, side: 'BUY', type: 'LIMIT', quantity: 'abc', price: '39999.00' }), 'INVALID_NUMBER', 'quantity'],
      [() => ctx.submit({ instrumentId: BTC, side: 'BUY', type: 'LIMIT', quantity: '0.1', price: '39999.005' }), 'OFF_TICK_GRID', 'price'],
      [() => ctx.submit({ instrumentId: BTC, side: 'BUY', type: 'LIMIT', quantity: '0.1' }), 'MISSING_PRICE', 'price'],
      [() => ctx.submit({ instrumentId: BTC, side: 'BUY', type: 'MARKET', quantity: '0.1', tags: [42 as never] }), 'INVALID_FIELD', 'tags'],
      [() => ctx.submit({ instrumentId: 'NOPE.BINANCE', side: 'BUY', type: 'MARKET', quantity: '0.1' }), 'UNKNOWN_INSTRUMENT', 'instrument'],
    ];
    for (const [run, code, field] of cases) {
      const e = await refusal(run());
      expect([e.code, e.context.field ?? e.message]).toEqual([code, expect.stringContaining(field)]);
    }
    expect([s.engine.lastSeq, s.placed.size]).toEqual([seq, 0]);
  });

  it('a risk file with a negative max_order_quantity, an unknown key and a percentage as text: INVALID_FIELD naming the file and each field', () => {
    const text = readFileSync(EXAMPLE, 'utf8')
      .replace('max_order_quantity: "2"', 'max_order_quantity: "-2"')
      .replace('price_collar_pct: 2\n', 'price_collar_pct: "two"\n')
      .replace('max_open_orders: 20', 'max_open_orders: 20\n      max_orders: 5');
    const bad = join(dir, 'bad-risk.yaml');
    writeFileSync(bad, text);
    let err: unknown;
    try {
      loadRiskConfig(bad, {});
    } catch (e) {
      err = e;
    }
    expect(err).toMatchObject({ code: 'INVALID_FIELD', context: { source: bad, problems: 3 } });
    const msg = (err as Error).message;
    expect(msg.startsWith(`${bad}: limits.instruments["BTCUSDT.BINANCE"].`)).toBe(true);
    for (const f of ['max_order_quantity', 'price_collar_pct', 'max_orders: unknown key']) expect(msg).toContain(f);
  });
});

describe('FAULTS 12: the position check counts working orders: the worst case if everything fills stays within limits', () => {
  it('max position 10 BTC: filled 2 + working 2 + 2 + 2 + 2 = 10 passes, 0.00001 more is MAX_POSITION_QUANTITY_EXCEEDED (10.00001); a cancel frees 2; everything filling ends at 10 at both books', async () => {
    // 2,000,000 USDT, so that 10 BTC (400,000) stays within the file's 40% concentration of equity.
    const s = await startStack({ acc1: { usdt: '2000000', btc: '10' } });
    const ctx = s.strategy('alpha');
    s.quote('39999.99', '40000.01', '40000.00');
    await ctx.market(BTC, 'BUY', '2');
    for (const px of ['39999.00', '39999.01', '39999.02', '39999.03']) expect((await ctx.submit({ instrumentId: BTC, side: 'BUY', type: 'LIMIT', quantity: '2', price: px })).denied).toEqual([]);
    const over = await ctx.submit({ instrumentId: BTC, side: 'BUY', type: 'LIMIT', quantity: '0.00001', price: '39999.04' });
    expect(over.denied.map((d) => d.code)).toEqual(['MAX_POSITION_QUANTITY_EXCEEDED']);
    expect(over.denied[0]?.reason).toContain('worst-case position 10.00001');
    // Another strategy of the same account counts too: the limit is the instrument's, per account.
    const other = await s.strategy('beta').submit({ instrumentId: BTC, side: 'BUY', type: 'LIMIT', quantity: '0.00001', price: '39999.05' });
    expect(other.denied.map((d) => d.code)).toEqual(['MAX_POSITION_QUANTITY_EXCEEDED']);
    await ctx.cancel('alpha-2');
    expect((await ctx.submit({ instrumentId: BTC, side: 'BUY', type: 'LIMIT', quantity: '2', price: '39999.06' })).denied).toEqual([]);
    s.trade('39999.00', '100');
    await s.settle();
    expect([s.position(), await s.venuePosition()]).toEqual(['10.00000', '10.00000']);
  });
});

describe('FAULTS 13: a firm-wide exposure breach across strategies and accounts → blocked everywhere', () => {
  const firm = (c: RiskConfig): RiskConfig => ({ ...c, limits: { ...c.limits, firm: { max_gross_exposure: '200000' } } });

  it('firm gross 200,000: ACC-1/alpha 2 + ACC-1/beta 1.5 + ACC-2/gamma 1.5 BTC working at 40,000 = 200,000 passes; then one lot more is FIRM_GROSS_EXPOSURE_EXCEEDED for each of them and a new strategy', async () => {
    const s = await startStack({ config: exampleConfig(firm) });
    s.quote('39999.99', '40000.01', '40000.00');
    const alpha = s.strategy('alpha');
    const beta = s.strategy('beta');
    const gamma = s.strategy('gamma', 'ACC-2');
    const buy = (ctx: typeof alpha, qty: string, px = '40000.00') => ctx.submit({ instrumentId: BTC, side: 'BUY', type: 'LIMIT', quantity: qty, price: px });
    expect((await buy(alpha, '2')).denied).toEqual([]);
    expect((await buy(beta, '1.5')).denied).toEqual([]);
    expect((await buy(gamma, '1.50001')).denied.map((d) => d.code)).toEqual(['FIRM_GROSS_EXPOSURE_EXCEEDED']);
    expect((await buy(gamma, '1.5')).denied).toEqual([]);
    const denied: string[] = [];
    for (const ctx of [alpha, beta, gamma, s.strategy('delta', 'ACC-2')]) denied.push(...(await buy(ctx, '0.00001', '39999.00')).denied.map((d) => d.code));
    expect(denied).toEqual(Array.from({ length: 4 }, () => 'FIRM_GROSS_EXPOSURE_EXCEEDED'));
    // Lowering exposure still passes anywhere: ACC-1 sells 0.5 of the 10 BTC it holds.
    expect((await alpha.submit({ instrumentId: BTC, side: 'SELL', type: 'LIMIT', quantity: '0.5', price: '40001.00' })).denied).toEqual([]);
  });
});
