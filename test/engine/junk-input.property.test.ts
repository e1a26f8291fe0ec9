/**
 * Issue 11 item 17 (part): whatever a caller throws at the engine's and risk control's public
 * entry points (null, undefined, numbers, arrays, objects with missing or wrong fields), what
 * comes back is a typed WardenError with a stable code, never a bare TypeError, and nothing is
 * journaled, no venue is called, the engine keeps running.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RiskControl } from '../../src/risk/control/risk-control.ts';
import type { Engine } from '../../src/engine/engine.ts';
import { WardenError } from '../../src/model/errors.ts';
import { limit, setup } from './fixtures.ts';
import { Money } from '../../src/model/money.ts';
import { Currencies } from '../../src/model/currency.ts';

type Entry = (engine: Engine, risk: RiskControl, a: unknown, b: unknown, c: unknown) => unknown;

/** Every public command entry point, called with junk in place of its arguments. */
const ENTRIES: Record<string, Entry> = {
  execute: (e, _r, a) => e.execute(a as never),
  'execute({ kind, ...junk })': (e, _r, a, b) => e.execute({ ...(typeof b === 'object' ? b : {}), kind: a } as never),
  submitOrder: (e, _r, a) => e.submitOrder(a as never),
  submitOrderList: (e, _r, a, b) => e.execute({ kind: 'SubmitOrderList', orderListId: a, orders: b } as never),
  cancelOrder: (e, _r, a) => e.cancelOrder(a as never),
  cancelAllOrders: (e, _r, a, b, c) => e.execute({ kind: 'CancelAllOrders', instrumentId: a, accountId: b, side: c } as never),
  modifyOrder: (e, _r, a, b) => e.modifyOrder(a as never, b as never),
  'modifyOrder(open order, junk)': (e, _r, a) => e.modifyOrder('L-1', a as never),
  queryOrder: (e, _r, a) => e.execute({ kind: 'QueryOrder', clientOrderId: a } as never),
  registerInstrument: (e, _r, a) => e.registerInstrument(a as never),
  openAccount: (e, _r, a) => e.openAccount(a as never),
  adjustBalance: (e, _r, a, b, c) => e.adjustBalance(a as never, b as never, c as never, e.authority.issue('treasury', ['TREASURY'])),
  'adjustBalance(ACC-1, junk)': (e, _r, a, b) => e.adjustBalance('ACC-1', a as never, b as never, e.authority.issue('treasury', ['TREASURY'])),
  'adjustBalance(junk operator)': (e, _r, a) => e.adjustBalance('ACC-1', Money.of('1', Currencies.USDT), 'deposit', a as never),
  updateMarket: (e, _r, a, b) => e.updateMarket(a as never, b as never),
  'updateMarket(BTC, junk)': (e, _r, a) => e.updateMarket('BTCUSDT.BINANCE', a as never),
  updateBar: (e, _r, a) => e.updateBar(a as never),
  setTradingState: (_e, r, a, b, c) => r.setTradingState(a as never, b as never, c as never),
  engageKillSwitch: (_e, r, a) => r.engageKillSwitch(a as never),
  resetKillSwitch: (_e, r, a) => r.resetKillSwitch(a as never),
  resetBreaker: (_e, r, a, b, c) => r.resetBreaker(a as never, b as never, c as never),
};

/** The error a call ended with, sync or async; undefined if it succeeded. */
async function outcome(run: () => unknown): Promise<unknown> {
  try {
    await run();
    return undefined;
  } catch (e) {
    return e;
  }
}

describe('junk at every public entry point comes back as a WardenError and journals nothing (issue 11 item 17)', () => {
  it.each([
    ['execute(null)', (e: Engine) => e.execute(null as never)],
    ['execute(undefined)', (e: Engine) => e.execute(undefined as never)],
    ['execute(42)', (e: Engine) => e.execute(42 as never)],
    ['submitOrder(null)', (e: Engine) => e.submitOrder(null as never)],
    ['openAccount(undefined)', (e: Engine) => e.openAccount(undefined as never)],
    ['registerInstrument(null)', (e: Engine) => e.registerInstrument(null as never)],
  ])('%s → a ValidationError with a code, nothing journaled', async (_name, run) => {
    const h = await setup();
    const seq = h.engine.lastSeq;
    const err = await outcome(() => run(h.engine));
    expect(err).toBeInstanceOf(WardenError);
    expect((err as WardenError).code).toMatch(/^[A-Z][A-Z_]+$/);
    expect(h.engine.lastSeq).toBe(seq);
  });

  it.each(Object.keys(ENTRIES))('%s(fc.anything() ...) → only WardenErrors, nothing journaled, no venue call', async (name) => {
    const h = await setup();
    await h.engine.submitOrder(limit('L-1', 'BUY', '0.1', '24000.00'));
    const risk = new RiskControl(h.engine);
    const seq = h.engine.lastSeq;
    const calls = h.venue.calls.length;
    const entry = ENTRIES[name]!;
    await fc.assert(
      fc.asyncProperty(fc.anything(), fc.anything(), fc.anything(), async (a, b, c) => {
        const err = await outcome(() => entry(h.engine, risk, a, b, c));
        if (err !== undefined && !(err instanceof WardenError)) throw new Error(`${name} threw ${(err as Error)?.name}: ${(err as Error)?.message}`);
        expect(h.engine.lastSeq).toBe(seq);
        expect(h.venue.calls.length).toBe(calls);
        expect(h.engine.isStopped).toBe(false);
      }),
      { numRuns: 150 },
    );
  });
});
