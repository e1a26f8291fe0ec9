/**
 * Issue 12 section 2: persisted strategy state. `ctx.state` is journaled (StrategyStateSet), so a
 * restarted node gives a strategy back what it kept; a strategy reaches only its own keys; sizes
 * are limited with a typed error that keeps nothing.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Engine } from '../../src/engine/engine.ts';
import { TestClock } from '../../src/engine/clock.ts';
import { MemoryJournal } from '../../src/engine/journal.ts';
import { strategyOrigin } from '../../src/engine/origin.ts';
import { STRATEGY_STATE_MAX_TOTAL, STRATEGY_STATE_MAX_VALUE } from '../../src/engine/strategy-state/strategy-states.ts';
import { WardenError } from '../../src/model/errors.ts';
import { TradingNode } from '../../src/node/trading-node.ts';
import { strategyState } from '../../src/strategy/state.ts';
import type { Strategy, StrategyFactory } from '../../src/strategy/strategy.ts';
import { paperConfig, replayJournal, tempDir } from '../node/support.ts';

async function refusal(p: Promise<unknown>): Promise<string | undefined> {
  return p.then(
    () => undefined,
    (e: unknown) => (e instanceof WardenError ? e.code : `untyped ${String(e)}`),
  );
}

describe('strategy state: own keys only, size-limited', () => {
  it('a strategy writes and reads its own keys; another strategy sees none of them; a STRATEGY origin writing another id is NOT_AUTHORIZED and nothing is journaled', async () => {
    const journal = new MemoryJournal();
    const engine = new Engine({ clock: new TestClock(0), journal });
    const mine = strategyState(engine, 'a');
    const theirs = strategyState(engine, 'b');
    await mine.set('levels', { entry: 101.5, stops: [99, 98] });
    await theirs.set('levels', 7);
    expect(mine.get('levels')).toEqual({ entry: 101.5, stops: [99, 98] });
    expect(theirs.get('levels')).toBe(7);
    // A copy: changing what get returned changes nothing kept.
    (mine.get<{ entry: number }>('levels') as { entry: number }).entry = 0;
    expect(mine.get('levels')).toEqual({ entry: 101.5, stops: [99, 98] });
    // Keys that look like another's namespace are just this strategy's keys.
    await mine.set('b/levels', 1);
    expect(theirs.get('levels')).toBe(7);
    const before = journal.all().length;
    expect(await refusal(engine.recordStrategyState('b', 'levels', '666', strategyOrigin('a')))).toBe('NOT_AUTHORIZED');
    expect(journal.all()).toHaveLength(before);
    expect(theirs.get('levels')).toBe(7);
  });

  it(`a value over ${STRATEGY_STATE_MAX_VALUE} characters of JSON, or a state over ${STRATEGY_STATE_MAX_TOTAL} in all, is STRATEGY_STATE_TOO_LARGE and keeps nothing; a non-JSON value is INVALID_FIELD`, async () => {
    const journal = new MemoryJournal();
    const engine = new Engine({ clock: new TestClock(0), journal });
    const st = strategyState(engine, 'greedy');
    await st.set('k', 'x'.repeat(STRATEGY_STATE_MAX_VALUE - 2));
    expect(await refusal(st.set('big', 'x'.repeat(STRATEGY_STATE_MAX_VALUE - 1)))).toBe('STRATEGY_STATE_TOO_LARGE');
    expect(st.get('big')).toBeUndefined();
    let n = 0;
    let code: string | undefined;
    while (code === undefined && n < 100) code = await refusal(st.set(`k${n++}`, 'y'.repeat(STRATEGY_STATE_MAX_VALUE - 2)));
    expect(code).toBe('STRATEGY_STATE_TOO_LARGE');
    expect(n).toBe(Math.floor(STRATEGY_STATE_MAX_TOTAL / (STRATEGY_STATE_MAX_VALUE + 2))); // the refused one is not kept
    expect(st.keys()).toHaveLength(n);
    // Replacing a key frees its old size: still allowed at the limit.
    await st.set('k', 1);
    expect(await refusal(st.set('nan', Number.NaN))).toBe('INVALID_FIELD');
    expect(await refusal(st.set('u', undefined as never))).toBe('INVALID_FIELD');
    expect(st.get('nan')).toBeUndefined();
  });
});

describe('strategy state survives a restart of the node (SQLite journal)', () => {
  it('a strategy counting bars in ctx.state continues from its count after the node is stopped and started again', async () => {
    const dir = tempDir();
    const starts: (number | undefined)[] = [];
    const counter: Strategy = {
      name: 'counter',
      onStart(ctx) {
        starts.push(ctx.state.get<number>('bars'));
      },
      async onBar(_bar, ctx) {
        await ctx.state.set('bars', (ctx.state.get<number>('bars') ?? 0) + 1);
      },
    };
    const factory: StrategyFactory = { name: 'counter', description: 'test', params: [], create: () => counter };
    const config = () => {
      const base = paperConfig(dir, 40);
      return { ...base, strategies: [{ name: 'counter', id: 'count-1', params: {}, instruments: ['BTCUSDT.BINANCEUS'], account: 'ACC-1' }] };
    };
    const first = await TradingNode.start(config(), { strategies: { counter: factory } });
    await first.run({ maxSteps: 10 });
    const second = await TradingNode.start(config(), { strategies: { counter: factory } });
    expect(second.engine.state.strategies.get('count-1', 'bars')).toBe('10');
    await second.run({ maxSteps: 5 });
    expect(starts).toEqual([undefined, 10]);
    const { state, events } = await replayJournal(join(dir, 'journal.sqlite'));
    expect(events.filter((e) => e.kind === 'StrategyStateSet')).toHaveLength(15);
    expect(state).toContain('"strategyState":[{"strategyId":"count-1","entries":[["bars","15"]]}]');
  }, 60_000);
});
