/**
 * Issue 11 items 8 and 9, as a hostile strategy would try them: every door a strategy could use to
 * lift the kill switch, a breaker or a halt, to move money, or to send risk control's flatten
 * order. Each attempt fails with a typed error (or cannot even be written), and the controls stay
 * engaged. A property test then throws random sequences of context calls at a halted engine.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createStrategyContext } from '../../src/backtest/context.ts';
import { runBacktest } from '../../src/backtest/runner.ts';
import type { Strategy, StrategyContext } from '../../src/backtest/strategy.ts';
import { Engine } from '../../src/engine/engine.ts';
import { RISK_CONTROL } from '../../src/engine/origin.ts';
import { RiskControl } from '../../src/risk/control/risk-control.ts';
import { MessageBus } from '../../src/engine/bus.ts';
import { TestClock } from '../../src/engine/clock.ts';
import { Currencies } from '../../src/model/currency.ts';
import { WardenError } from '../../src/model/errors.ts';
import type { OrderInitialized } from '../../src/model/orders/events.ts';
import { Account } from '../../src/portfolio/account.ts';
import { Portfolio } from '../../src/portfolio/portfolio.ts';
import { Position } from '../../src/portfolio/position.ts';
import { FLATTEN_TAG } from '../../src/engine/reserved-tags.ts';
import { RiskState } from '../../src/engine/risk-state/risk-state.ts';
import { BTC, limit, T0, type Harness } from '../engine/fixtures.ts';
import { gateSetup } from '../risk/gate/fixtures.ts';
import { OrderEmulator } from '../../src/execution/emulation/emulator.ts';
import { ExecutionAlgorithms } from '../../src/algos/runner.ts';

const t = T0;

/** An engine with the risk gate (ACC-1: 1,000,000 USDT, 10 BTC) where strategy "evil" holds 1 BTC and s1 rests a buy, then the kill switch flattens and halts, a breaker is open and FIRM is HALTED by an operator. */
async function lockedDown(): Promise<Harness & { ctx: StrategyContext; control: RiskControl; balances(): string[]; emulator: OrderEmulator; algos: ExecutionAlgorithms }> {
  const h = await gateSetup();
  let n = 0;
  // The emulator and algorithms a node gives a strategy: list, trailing and algorithm commands go through them.
  const emulator = new OrderEmulator(h.engine);
  emulator.start();
  const algos = new ExecutionAlgorithms(h.engine);
  const ctx = createStrategyContext({
    emulation: () => ({ emulator, algos }),
    engine: h.engine,
    strategyId: 'evil',
    accountId: 'ACC-1',
    instruments: [h.engine.instrument(BTC)],
    currency: Currencies.USDT,
    nextOrderId: () => `EVIL-${++n}`,
    netRaw: () => 0n,
    setTimer: () => undefined,
  });
  h.engine.updateMarket(BTC, { last: h.engine.instrument(BTC).price('24100.00') });
  expect((await ctx.market(BTC, 'BUY', '1')).denied).toEqual([]);
  await h.engine.submitOrder(limit('S1-REST', 'BUY', '0.1', '23000.00'));
  const control = new RiskControl(h.engine);
  const ops = h.engine.authority.issue('ops', ['RISK']);
  await h.engine.recordRisk(
    [{ kind: 'BreakerTripped', breaker: 'daily_loss', scope: 'FIRM', value: 4, threshold: 3, action: 'HALT', autoResetAt: undefined, message: 'm', tsEvent: t, tsInit: t }],
    RISK_CONTROL,
  );
  await control.setTradingState('FIRM', 'HALTED', { operator: ops, reason: 'incident' });
  // Cancels S1-REST; flattens evil's 1 BTC with a FLAT- order of strategy "evil".
  await control.engageKillSwitch({ operator: ops, reason: 'runaway', flatten: true });
  await h.engine.submitOrder(limit('S1-LATE', 'BUY', '0.1', '23000.00')); // denied: a closed order of s1
  const balances = () => h.engine.portfolio.account('ACC-1' as never).balances().map((b) => `${b.total.toDecimalString()} ${b.currency.code}`);
  return { ...h, ctx, control, balances, emulator, algos };
}

function expectLockedDown(h: Harness): void {
  expect(h.engine.risk.killSwitch?.operator).toBe('ops');
  expect(h.engine.risk.breaker('daily_loss', 'FIRM')?.state).toBe('OPEN');
  expect(h.engine.risk.stateOf('FIRM')).toBe('HALTED');
  expect(h.engine.risk.effectiveState('ACC-1' as never, 'evil' as never)).toBe('HALTED');
}

/** No flatten-tagged (or any reserved-tag) order except risk control's own: not sent, not held by the emulator, not started as an algorithm. */
function reservedOrdersByOthers(h: Harness): string[] {
  const events = h.journal.all().map((r) => r.event);
  const sent = events
    .filter((e): e is OrderInitialized => e.kind === 'OrderInitialized')
    .filter((e) => e.spec.tags.some((x) => x.startsWith('warden:')) && e.origin !== 'RISK_CONTROL')
    .map((e) => e.clientOrderId);
  const held = events.flatMap((e) => (e.kind === 'EmulatedOrderHeld' && e.spec.tags.some((x) => x.startsWith('warden:')) ? [e.clientOrderId] : []));
  const algos = events.flatMap((e) => (e.kind === 'AlgoStarted' && e.request.includes('warden:') ? [e.parentId] : []));
  const lists = events.flatMap((e) => (e.kind === 'ContingencyRegistered' && e.request.includes('warden:') ? [e.groupId] : []));
  return [...sent, ...held, ...algos, ...lists];
}

/** Objects a strategy must never reach: the engine, the ledger, the risk state, the bus, a settable clock. */
const FORBIDDEN = [Engine, Portfolio, Account, Position, RiskState, MessageBus, TestClock, RiskControl];

function reachableForbidden(root: unknown, depth = 4, seen = new Set<unknown>()): string[] {
  if (depth < 0 || root === null || (typeof root !== 'object' && typeof root !== 'function') || seen.has(root)) return [];
  seen.add(root);
  const hits = FORBIDDEN.filter((C) => root instanceof C).map((C) => C.name);
  for (const key of Reflect.ownKeys(root)) {
    const d = Object.getOwnPropertyDescriptor(root, key);
    if (d && 'value' in d) hits.push(...reachableForbidden(d.value, depth - 1, seen));
  }
  return hits;
}

describe('a hostile strategy under the kill switch, an open breaker and an operator HALT', () => {
  it('finds no engine, portfolio, account, position, risk state, bus or clock anywhere in its context', async () => {
    const h = await lockedDown();
    const loose = h.ctx as unknown as Record<string, unknown>;
    expect([loose.engine, loose.portfolio, loose.clock, loose.account]).toEqual([undefined, undefined, undefined, undefined]);
    expect(reachableForbidden(h.ctx)).toEqual([]);
    expect(reachableForbidden(h.ctx.position(BTC))).toEqual([]);
    expect(reachableForbidden(h.ctx.balance())).toEqual([]);
  });

  it('every door fails with a typed error and the controls stay engaged; balances do not move', async () => {
    const h = await lockedDown();
    const before = h.balances();
    const flat = [...h.engine.state.orders.values()].find((o) => o.clientOrderId.startsWith('FLAT-'));
    expect(flat?.spec.strategyId).toBe('evil');
    const attempts: [string, () => Promise<unknown>, string][] = [
      // Item 9: the flatten tag on a limit 99% below a 24,100 market, reduce-only, within the position.
      ['flatten tag', () => h.ctx.submit({ instrumentId: BTC, side: 'SELL', type: 'LIMIT', quantity: '1', price: '241.00', reduceOnly: true, tags: [FLATTEN_TAG] }), 'RESERVED_TAG'],
      ['another reserved tag', () => h.ctx.submit({ instrumentId: BTC, side: 'SELL', type: 'MARKET', quantity: '1', tags: ['warden:operator'] }), 'RESERVED_TAG'],
      ["cancel s1's order", () => h.ctx.cancel('S1-LATE'), 'NOT_OWN_ORDER'],
      ["modify s1's order", () => h.ctx.modify('S1-LATE', { price: '23100.00' }), 'NOT_OWN_ORDER'],
      ["cancel risk control's flatten order", () => h.ctx.cancel(flat!.clientOrderId), 'NOT_OWN_ORDER'],
      ["modify risk control's flatten order", () => h.ctx.modify(flat!.clientOrderId, { quantity: '2' }), 'NOT_OWN_ORDER'],
      ["cancel s1's stop held by the emulator", () => h.ctx.cancel('S1-HELD'), 'NOT_OWN_ORDER'],
      ["stop s1's algorithm", () => h.ctx.cancelAlgo('S1-ALGO'), 'NOT_OWN_ORDER'],
      ["write s1's state (the engine's check)", () => h.engine.recordStrategyState('s1', 'k', '1', { kind: 'STRATEGY', strategyId: 'evil' }), 'NOT_AUTHORIZED'],
    ];
    await h.emulator.submitTrailingStop({ clientOrderId: 'S1-HELD', accountId: 'ACC-1', strategyId: 's1', instrumentId: BTC, side: 'SELL', quantity: '0.1', trailingOffset: '100', trailingOffsetType: 'PRICE' });
    // Its first slice is a minute away, so it is running (under the halt a slice now would fail it).
    await h.algos.start({ kind: 'TWAP', parentId: 'S1-ALGO', accountId: 'ACC-1', strategyId: 's1', instrumentId: BTC, side: 'BUY', quantity: '0.1', startTime: h.engine.now() + 60_000, endTime: h.engine.now() + 120_000, slices: 1 });
    for (const [what, attempt, code] of attempts) {
      const e = await attempt().then(
        () => undefined,
        (x: unknown) => x,
      );
      expect(e, what).toBeInstanceOf(WardenError);
      expect((e as WardenError).code, what).toBe(code);
    }
    // Naming another strategy in the order changes nothing: the context sends its own id.
    const r = await h.ctx.submit({ instrumentId: BTC, side: 'BUY', type: 'MARKET', quantity: '0.1', strategyId: 's1', accountId: 'ACC-2' } as never);
    expect(r.denied.map((d) => d.code)).toEqual(['KILL_SWITCH_ENGAGED']);
    expect(h.engine.order(r.clientOrderIds[0]!)?.spec).toMatchObject({ strategyId: 'evil', accountId: 'ACC-1' });
    // Views, results and the context itself are frozen: writing to them throws and changes nothing.
    const pos = h.ctx.position(BTC)!;
    const bal = h.ctx.balance();
    const writes: [string, () => void][] = [
      ['position quantity', () => ((pos as { quantity: unknown }).quantity = h.engine.instrument(BTC).quantity('5'))],
      ['balance total', () => ((bal as { total: unknown }).total = null)],
      ['instruments', () => (h.ctx.instruments as unknown[]).push(null)],
      ['context submit', () => ((h.ctx as { submit: unknown }).submit = () => undefined)],
      ['result denied', () => (r.denied as unknown[]).pop()],
      ['instrument tick', () => ((h.ctx.instrument(BTC) as { tickSize: unknown }).tickSize = null)],
      ['order spec side', () => ((h.engine.order(r.clientOrderIds[0]!)!.spec as { side: string }).side = 'SELL')],
      ['order spec tags', () => (h.engine.order(flat!.clientOrderId)!.spec.tags as string[]).push('x')],
    ];
    for (const [what, write] of writes) expect(write, what).toThrow(TypeError);
    expect(h.emulator.get('S1-HELD')?.status).toBe('HELD');
    expect(h.engine.state.algos.isRunning('S1-ALGO')).toBe(true);
    expect(h.ctx.position(BTC)).toBe(pos);
    expect(h.balances()).toEqual(before);
    expectLockedDown(h);
    expect(reservedOrdersByOthers(h)).toEqual([]);
  });

  it('a strategy in a backtest gets a context with no engine, portfolio or clock, and frozen order events', async () => {
    const found: string[][] = [];
    const eventWrites: boolean[] = [];
    const snoop: Strategy = {
      name: 'snoop',
      onStart(ctx) {
        const loose = ctx as unknown as Record<string, unknown>;
        found.push(['engine', 'portfolio', 'clock', 'account'].filter((k) => loose[k] !== undefined), reachableForbidden(ctx));
      },
      onBar(_bar, ctx) {
        if (ctx.netQuantity(ctx.instrument().id) === 0 && !ctx.hasOpenOrders(ctx.instrument().id)) void ctx.market(ctx.instrument().id, 'BUY', '0.01');
      },
      onFill(fill) {
        eventWrites.push(Object.isFrozen(fill));
        try {
          (fill as { lastQty: unknown }).lastQty = null;
        } catch (e) {
          eventWrites.push(e instanceof TypeError);
        }
      },
    };
    const bar = (i: number) => ({ instrumentId: BTC, ts: T0 + i * 60_000, durationMs: 60_000, open: '100.00', high: '100.00', low: '100.00', close: '100.00', volume: '10' });
    await runBacktest({
      sources: [{ instrument: { id: BTC, kind: 'SPOT', base: Currencies.BTC, quote: Currencies.USDT, tickSize: '0.01', lotSize: '0.001' }, bars: [bar(0), bar(1), bar(2)] as never }],
      strategy: snoop,
      cash: '1000',
    });
    expect(found).toEqual([[], []]);
    expect(eventWrites).toEqual([true, true]);
  });
});

type Call =
  | { do: 'market'; side: 'BUY' | 'SELL'; lots: number; tags: string[]; reduceOnly: boolean }
  | { do: 'limit'; side: 'BUY' | 'SELL'; lots: number; ticks: number; tags: string[] }
  | { do: 'cancel' | 'modify'; target: 'own' | 's1' | 'flatten' | 'unknown'; lots: number }
  | { do: 'read' }
  | { do: 'write'; what: 'position' | 'balance' | 'instruments' | 'context' }
  | { do: 'bracket' | 'oco' | 'oto' | 'trailing' | 'twap' | 'iceberg'; side: 'BUY' | 'SELL'; lots: number; tags: string[] }
  | { do: 'close' }
  | { do: 'cancelAlgo'; target: 'own' | 'operator' | 'unknown' }
  | { do: 'state'; key: string; size: number };

const tags = fc.subarray([FLATTEN_TAG, 'warden:x', 'mine']);
const side = fc.constantFrom('BUY' as const, 'SELL' as const);
const call: fc.Arbitrary<Call> = fc.oneof(
  fc.record({ do: fc.constant('market' as const), side, lots: fc.integer({ min: 1, max: 400 }), tags, reduceOnly: fc.boolean() }),
  fc.record({ do: fc.constant('limit' as const), side, lots: fc.integer({ min: 1, max: 400 }), ticks: fc.integer({ min: 1, max: 1_000_000 }), tags }),
  fc.record({ do: fc.constantFrom('cancel' as const, 'modify' as const), target: fc.constantFrom('own' as const, 's1' as const, 'flatten' as const, 'unknown' as const), lots: fc.integer({ min: 1, max: 400 }) }),
  fc.constant({ do: 'read' as const }),
  fc.record({ do: fc.constant('write' as const), what: fc.constantFrom('position' as const, 'balance' as const, 'instruments' as const, 'context' as const) }),
  fc.record({ do: fc.constantFrom('bracket' as const, 'oco' as const, 'oto' as const, 'trailing' as const, 'twap' as const, 'iceberg' as const), side, lots: fc.integer({ min: 1, max: 400 }), tags }),
  fc.constant({ do: 'close' as const }),
  fc.record({ do: fc.constant('cancelAlgo' as const), target: fc.constantFrom('own' as const, 'operator' as const, 'unknown' as const) }),
  fc.record({ do: fc.constant('state' as const), key: fc.constantFrom('k', 's1', 'warden:flatten', ''), size: fc.constantFrom(1, 70_000) }),
);

async function perform(h: Awaited<ReturnType<typeof lockedDown>>, c: Call, own: string[]): Promise<void> {
  const lots = (n: number) => (n * 0.005).toFixed(3);
  // A command may only be refused with a typed error; a write to a view only with a TypeError (frozen).
  const swallow = (e: unknown) => {
    if (!(e instanceof WardenError)) throw e;
  };
  const note = (r: { clientOrderIds: readonly string[] }): void => {
    own.push(...r.clientOrderIds);
  };
  switch (c.do) {
    case 'market':
      return h.ctx.submit({ instrumentId: BTC, side: c.side, type: 'MARKET', quantity: lots(c.lots), reduceOnly: c.reduceOnly, tags: c.tags }).then(note, swallow);
    case 'limit':
      return h.ctx.submit({ instrumentId: BTC, side: c.side, type: 'LIMIT', quantity: lots(c.lots), price: (c.ticks * 0.05).toFixed(2), tags: c.tags }).then(note, swallow);
    case 'cancel':
    case 'modify': {
      const flat = [...h.engine.state.orders.keys()].find((k) => k.startsWith('FLAT-'));
      const id = { own: own.at(-1) ?? 'EVIL-0', s1: 'S1-LATE', flatten: flat ?? 'FLAT-0', unknown: 'NOPE' }[c.target];
      const p = c.do === 'cancel' ? h.ctx.cancel(id) : h.ctx.modify(id, { quantity: lots(c.lots) });
      return p.then(() => undefined, swallow);
    }
    case 'bracket':
    case 'oco':
    case 'oto':
    case 'trailing':
    case 'twap':
    case 'iceberg': {
      const q = lots(c.lots);
      const o = { instrumentId: BTC, side: c.side, quantity: q, tags: c.tags };
      const lim = { ...o, type: 'LIMIT' as const, price: '23000.00' };
      const now = h.engine.now();
      const p =
        c.do === 'bracket'
          ? h.ctx.bracket({ entry: lim, takeProfitPrice: '25000.00', stopLossTriggerPrice: '22000.00' })
          : c.do === 'oco'
            ? h.ctx.oco(lim, { ...o, type: 'STOP_MARKET', triggerPrice: '22000.00' })
            : c.do === 'oto'
              ? h.ctx.oto({ parent: lim, child: { instrumentId: BTC, side: c.side === 'BUY' ? 'SELL' : 'BUY', type: 'LIMIT', price: '25000.00', tags: c.tags } })
              : c.do === 'trailing'
                ? h.ctx.trailingStop({ ...o, trailingOffset: '100', trailingOffsetType: 'PRICE' })
                : c.do === 'twap'
                  ? h.ctx.twap({ ...o, endTime: now + 60_000, slices: 2 }).then((id) => ({ clientOrderIds: [`${id}-1`] }))
                  : h.ctx.iceberg({ ...o, displayQuantity: q, price: '23000.00' }).then((id) => ({ clientOrderIds: [`${id}-1`] }));
      await p.then(note, swallow);
      await h.emulator.idle();
      await h.algos.idle();
      return;
    }
    case 'close':
      return h.ctx.closePosition(BTC).then(note, swallow);
    case 'cancelAlgo': {
      const id = { own: own.at(-1)?.replace(/-1$/, '') ?? 'EVIL-0', operator: 'OPS-ALGO', unknown: 'NOPE' }[c.target];
      return h.ctx.cancelAlgo(id).then(() => undefined, swallow);
    }
    case 'state':
      return h.ctx.state.set(c.key, 'x'.repeat(c.size)).then(() => undefined, swallow);
    case 'read':
      h.ctx.position(BTC);
      h.ctx.balance();
      h.ctx.order(own.at(-1) ?? 'S1-LATE');
      h.ctx.equity();
      return;
    case 'write':
      try {
        if (c.what === 'position') (h.ctx.position(BTC) as { isOpen: boolean }).isOpen = true;
        else if (c.what === 'balance') (h.ctx.balance() as { free: unknown }).free = null;
        else if (c.what === 'instruments') (h.ctx.instruments as unknown[]).length = 0;
        else (h.ctx as { market: unknown }).market = null;
        throw new Error(`writing to the ${c.what} view succeeded`);
      } catch (e) {
        if (!(e instanceof TypeError)) throw e;
      }
  }
}

describe('hostile strategy calls (property)', () => {
  it('no sequence of context calls (orders, lists, trailing stops, algorithms, close, state) lifts the kill switch, the breaker or the halt, moves a balance, or sends, holds or starts a reserved-tag order', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(call, { minLength: 1, maxLength: 25 }), async (calls) => {
        const h = await lockedDown();
        const before = h.balances();
        const fills = h.journal.all().filter((r) => r.event.kind === 'OrderFilled').length;
        const own: string[] = [];
        // An algorithm another sender started: the strategy may not stop it.
        await h.algos.start({ kind: 'TWAP', parentId: 'OPS-ALGO', accountId: 'ACC-1', strategyId: 's1', instrumentId: BTC, side: 'BUY', quantity: '0.1', startTime: h.engine.now() + 60_000, endTime: h.engine.now() + 120_000, slices: 1 });
        for (const c of calls) {
          await perform(h, c, own);
          expectLockedDown(h);
        }
        // Under the halt nothing of the strategy's reaches a venue, so nothing fills: balances stay exactly.
        expect(h.journal.all().filter((r) => r.event.kind === 'OrderFilled')).toHaveLength(fills);
        expect(h.balances()).toEqual(before);
        expect(reservedOrdersByOthers(h)).toEqual([]);
        expect(h.engine.state.algos.isRunning('OPS-ALGO')).toBe(true);
        // Its state is its own, and never over the limit.
        expect(h.engine.state.strategies.keys('s1')).toEqual([]);
        for (const k of h.engine.state.strategies.keys('evil')) expect(h.engine.state.strategies.get('evil', k)!.length).toBeLessThanOrEqual(65_536);
        h.emulator.stop();
        h.algos.dispose();
      }),
      { numRuns: 60 },
    );
  });
});
