/**
 * Issue 12 section 2: onStop in a backtest and in a node (onEnd still called for a strategy
 * without onStop); the logger (a child of the node's pino logger, bound to the strategy id);
 * indicators; the views of open orders, positions and balances.
 */
import { Writable } from 'node:stream';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { runBacktest } from '../../src/backtest/runner.ts';
import { Currencies } from '../../src/model/currency.ts';
import { TradingNode } from '../../src/node/trading-node.ts';
import type { Strategy, StrategyFactory } from '../../src/strategy/strategy.ts';
import { paperConfig, tempDir } from '../node/support.ts';

const BTC = 'BTCUSDT.BINANCE';
const T0 = Date.UTC(2024, 0, 1);
const closes = [100, 101, 102, 103, 104, 105];
const source = {
  instrument: { id: BTC, kind: 'SPOT', base: Currencies.BTC, quote: Currencies.USDT, tickSize: '0.01', lotSize: '0.001' } as const,
  bars: closes.map((c, i) => ({ instrumentId: BTC, ts: T0 + i * 60_000, durationMs: 60_000, open: c.toFixed(2), high: c.toFixed(2), low: c.toFixed(2), close: c.toFixed(2), volume: '10' })) as never,
};

describe('onStop', () => {
  it('a backtest calls onStop once after the last bar (at its close); a strategy with only onEnd still has it called', async () => {
    const calls: string[] = [];
    const stopper: Strategy = { name: 'stopper', onBar: () => undefined, onStop: (ctx) => void calls.push(`stop ${ctx.now() - T0}`), onEnd: () => void calls.push('end (not called: onStop wins)') };
    const legacy: Strategy = { name: 'legacy', onBar: () => undefined, onEnd: (ctx) => void calls.push(`end ${ctx.strategyId}`) };
    await runBacktest({ sources: [source], strategy: stopper, alsoRun: [legacy], cash: '1000' });
    expect(calls).toEqual(['stop 360000', 'end legacy']);
  });

  it('a node calls each strategy\'s onStop once at stop() (after 5 steps), its orders still readable', async () => {
    const dir = tempDir();
    const seen: string[] = [];
    let placed: string | undefined;
    let steps = 0;
    const s: Strategy = {
      name: 'stop-here',
      async onBar(bar, ctx) {
        steps++;
        // A bid 4.00 under the close (inside the gate's 500-tick collar).
        if (!placed) {
          const r = await ctx.submit({ instrumentId: bar.instrumentId, side: 'BUY', type: 'LIMIT', quantity: '0.001', price: (Number(bar.close) - 4).toFixed(2) });
          expect(r.denied).toEqual([]);
          placed = r.clientOrderIds[0];
        }
      },
      onStop(ctx) {
        const o = ctx.order(placed!);
        seen.push(`stop ${String(o?.side)} ${String(o?.quantity.toString())} at step ${steps}`);
      },
    };
    const factory: StrategyFactory = { name: 'stop-here', description: 'test', params: [], create: () => s };
    const config = { ...paperConfig(dir, 20), strategies: [{ name: 'stop-here', id: 'sh-1', params: {}, instruments: ['BTCUSDT.BINANCEUS'], account: 'ACC-1' }] };
    const node = await TradingNode.start(config, { strategies: { 'stop-here': factory } });
    await node.run({ maxSteps: 5 });
    expect(seen).toEqual(['stop BUY 0.00100 at step 5']);
  }, 30_000);
});

describe('ctx.log, ctx.indicators and the views', () => {
  it('in a node, ctx.log writes through the node\'s pino logger with { strategy: <id> }; secrets in fields are redacted by it', async () => {
    const dir = tempDir();
    const lines: Record<string, unknown>[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _enc, done) {
        for (const l of chunk.toString().split('\n')) if (l) lines.push(JSON.parse(l) as Record<string, unknown>);
        done();
      },
    });
    const logger = pino({ level: 'info', redact: ['apiKey'] }, sink);
    const s: Strategy = {
      name: 'talker',
      onStart(ctx) {
        ctx.log.info('hello', { apiKey: 's3cret', n: 1 });
        ctx.log.debug('not at info level');
      },
      onBar: () => undefined,
    };
    const factory: StrategyFactory = { name: 'talker', description: 'test', params: [], create: () => s };
    const config = { ...paperConfig(dir, 5), strategies: [{ name: 'talker', id: 'talk-1', params: {}, instruments: ['BTCUSDT.BINANCEUS'], account: 'ACC-1' }] };
    const node = await TradingNode.start(config, { strategies: { talker: factory }, logger });
    await node.stop();
    const mine = lines.filter((l) => l.strategy === 'talk-1');
    expect(mine.map((l) => [l.msg, l.n, l.apiKey])).toEqual([['hello', 1, '[Redacted]']]);
  }, 30_000);

  it('in a backtest: an SMA(3) from ctx.indicators over closes 100..105 reads 104 at the last bar; positions() and balances() show a 1 BTC buy at 101; ctx.log is silent', async () => {
    const out: string[] = [];
    const s: Strategy = {
      name: 'viewer',
      sma: undefined as ReturnType<import('../../src/strategy/indicators.ts').Indicators['sma']> | undefined,
      onStart(ctx) {
        (this as { sma?: unknown }).sma = ctx.indicators.sma(3);
        ctx.log.info('nothing to see');
      },
      async onBar(bar, ctx) {
        const sma = (this as unknown as { sma: { add(v: number): void; getResult(): unknown } }).sma;
        sma.add(Number(bar.close));
        if (bar.ts === T0) await ctx.market(BTC, 'BUY', '1');
        if (bar.ts === T0 + 5 * 60_000) {
          out.push(`sma ${Number(sma.getResult())}`);
          out.push(...ctx.positions().map((p) => `${p.side} ${p.quantity.toString()} @ ${String(p.avgEntryPx)}`));
          out.push(...ctx.balances().map((b) => `${b.currency.code} ${b.total.toDecimalString()}`).sort());
          out.push(`open orders ${ctx.openOrders(BTC).length}`);
        }
      },
    } as Strategy;
    await runBacktest({ sources: [source], strategy: s, cash: '1000' });
    expect(out).toEqual(['sma 104', 'LONG 1.000 @ 101', 'BTC 1.00000000', 'USDT 899.00000000', 'open orders 0']);
  });
});
