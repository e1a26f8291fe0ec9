/**
 * A node in mode live on each broker, configured from one warden.yaml, against the broker's local
 * fake (test/support/fake-<broker>) through the real client library: the instrument comes from
 * the broker, the account opens, a strategy's order goes through the gate to the broker on a
 * streamed (or polled) price and its fill comes back; the node stops leaving a resting order,
 * that order fills while it is down, and the restarted node finds the fill once, reconciled.
 * Health shows each broker probed; `warden venues check` describes it.
 */
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Strategy, StrategyFactory } from '../../src/backtest/strategy.ts';
import { checkVenues } from '../../src/cli/venues-check.ts';
import { parseNodeConfig } from '../../src/node/config/index.ts';
import { TradingNode } from '../../src/node/trading-node.ts';
import { writeFileSync } from 'node:fs';
import { BROKER_FIXTURES, type BrokerFixture } from './broker-fixtures.ts';
import { startFakeAlpaca } from '../support/fake-alpaca/index.ts';
import { KEY as T212_KEY, SECRET as T212_SECRET, startFake as startT212Fake } from '../venues/trading212/harness.ts';
import { yaml } from './small-node.ts';
import { replayJournal, stateText, tempDir } from './support.ts';

async function until(cond: () => boolean, what: string, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** On its first price: a market buy, then a resting limit buy below the market (left working when the node stops). */
function firstQuoteTrader(f: BrokerFixture, sent: string[]): Record<string, StrategyFactory> {
  const create = (): Strategy => {
    let busy = false;
    const act = async (ctx: Parameters<NonNullable<Strategy['onQuote']>>[1]): Promise<void> => {
      if (busy || sent.length > 0) return;
      busy = true;
      // A broker without prices takes a marketable limit: the gate has no price to value a market order at.
      const market = await ctx.submit({ instrumentId: f.instrument, side: 'BUY', quantity: f.quantity, ...(f.entryPrice ? { type: 'LIMIT', price: f.entryPrice } : { type: 'MARKET' }) });
      const limit = await ctx.submit({ instrumentId: f.instrument, side: 'BUY', type: 'LIMIT', quantity: f.quantity, price: f.restingPrice, timeInForce: 'GTC' });
      sent.push(...market.clientOrderIds, ...limit.clientOrderIds);
    };
    // A broker without market data (Trading 212): at the start.
    return { name: 'first-quote', onStart: (ctx) => (f.marketData ? undefined : act(ctx)), onBar: (_b, ctx) => act(ctx), onQuote: (_q, ctx) => act(ctx) };
  };
  return { 'first-quote': { name: 'first-quote', description: 'test: buys at market and rests a limit on the first price', params: [], create } };
}

let fixture: Awaited<ReturnType<BrokerFixture['start']>> | undefined;

afterEach(async () => {
  await fixture?.close();
  fixture = undefined;
});

describe.each(Object.values(BROKER_FIXTURES))('a live node on $type', (f) => {
  it('registers the instrument from the broker, trades through the gate, stops with a resting order, and restarts with its fill found once', async () => {
    fixture = await f.start();
    const dir = tempDir();
    const loaded = parseNodeConfig(
      yaml({
        node: { id: `live-${f.type}`, mode: 'live', journal: { sqlite: join(dir, 'journal.sqlite') } },
        venues: { [f.venue]: { ...fixture.venueConfig, cancel_on_stop: false, health_check_ms: 200 } },
        accounts: [{ id: 'ACC-1', type: f.accountType, venue: f.venue, ...(f.balances ? { balances: f.balances } : {}) }],
        instruments: [{ id: f.instrument, from_venue: true, ...(f.symbol ? { symbol: f.symbol } : {}) }],
        data: { subscriptions: f.marketData ? [{ instrument: f.instrument, quotes: true }] : [] },
        ...(f.limits ? { risk: { version: 1, limits: { default: f.limits } } } : {}),
        logging: { level: 'silent' },
      }),
    );
    const config = { ...loaded.config, strategies: [{ name: 'first-quote', id: 'fq-1', params: {}, instruments: [f.instrument], account: 'ACC-1' }] };
    const sent: string[] = [];
    const node = await TradingNode.start(config, { secrets: loaded.secrets, strategies: firstQuoteTrader(f, sent), ...(f.factories ? { brokers: f.factories } : {}) });
    expect(node.registeredNow).toEqual([f.instrument]);
    expect(node.openedNow).toEqual(['ACC-1']);
    f.checkInstrument(node.engine.instrument(f.instrument));
    const running = node.run();
    await until(() => sent.length === 2 && node.engine.order(sent[0]!)?.status === 'FILLED' && node.engine.order(sent[1]!)?.status === 'ACCEPTED', 'the market order filled and the limit working');
    await until(() => node.health()[0]?.heartbeatTs !== undefined, 'a health probe');
    const h = node.health()[0]!;
    expect([h.venue, h.type, h.connected, typeof h.probeLatencyMs, h.detail]).toEqual([f.venue, f.type, true, 'number', expect.any(String)]);
    node.requestStop();
    await running;
    const position = () => node.engine.portfolio.openPositions().map((p) => p.signedQtyRaw);
    expect(position()).toHaveLength(1);
    // While the node is down the broker fills the resting limit.
    await fixture.fillResting();
    const again = await TradingNode.start(config, { secrets: loaded.secrets, strategies: firstQuoteTrader(f, ['done']), ...(f.factories ? { brokers: f.factories } : {}) });
    expect([again.registeredNow, again.openedNow]).toEqual([[], []]);
    expect(again.reconciled.map((r) => [r.halted, r.positionMismatches.length])).toEqual([[false, 0]]);
    await until(() => again.engine.order(sent[1]!)?.status === 'FILLED', 'the limit found filled');
    const filled = again.engine.order(sent[1]!)!;
    expect(filled.filledQty.toString()).toBe(again.engine.instrument(f.instrument).quantity(f.quantity).toString());
    await again.stop();
    const replayed = await replayJournal(join(dir, 'journal.sqlite'));
    expect(replayed.events.filter((e) => e.kind === 'OrderFilled').map((e) => (e as { clientOrderId: string }).clientOrderId)).toEqual([sent[0], sent[1]]);
    expect(replayed.state).toBe(stateText(again.engine));
    for (const secret of fixture.secrets) expect(JSON.stringify(replayed.events)).not.toContain(secret);
  }, 120_000);

  it('warden venues check logs in, probes, describes the instrument exactly and lists balances, positions and open orders', async () => {
    fixture = await f.start();
    const dir = tempDir();
    const file = join(dir, 'warden.yaml');
    writeFileSync(
      file,
      yaml({
        node: { id: `check-${f.type}`, mode: 'live' },
        venues: { [f.venue]: fixture.venueConfig },
        accounts: [{ id: 'ACC-1', type: f.accountType, venue: f.venue }],
        instruments: [{ id: f.instrument, from_venue: true, ...(f.symbol ? { symbol: f.symbol } : {}) }],
      }),
    );
    const r = await checkVenues({ config: file });
    expect(r.ok, r.lines.join('\n')).toBe(true);
    expect(r.lines[0]).toMatch(new RegExp(`^${f.venue}: ${f.type}, connected, round trip \\d+ ms`));
    expect(r.lines.find((l) => l.includes(`instrument  ${f.instrument}`))).toContain(f.checkLine);
    expect(r.lines.some((l) => l.startsWith('  open orders'))).toBe(true);
    for (const secret of fixture.secrets) expect(r.lines.join('\n')).not.toContain(secret);
  }, 30_000);
});

describe('a live node on two brokers', () => {
  it('trades Trading 212 (no prices of its own) on Alpaca quotes, with USD counted on one scale for both', async () => {
    const alpaca = await startFakeAlpaca({ cash: '50000', assets: { AAPL: {} } });
    const t212 = await startT212Fake('10000');
    const pushes = setInterval(() => {
      alpaca.market.quote('AAPL', '187.40', '187.44');
      t212.book.trade('AAPL_US_EQ', '187.42', '5');
    }, 50);
    try {
      const dir = tempDir();
      const loaded = parseNodeConfig(
        yaml({
          node: { id: 'two-brokers', mode: 'live', journal: { sqlite: join(dir, 'journal.sqlite') } },
          venues: {
            ALPACA: { type: 'alpaca', calendar: 'none', api_key: alpaca.keyId, secret: alpaca.secret, base_url: alpaca.baseUrl, stream_url: alpaca.streamUrl, data_stream_url: alpaca.dataStreamUrl },
            T212: { type: 'trading212', calendar: 'none', api_key: T212_KEY, secret: T212_SECRET, base_url: t212.baseUrl, poll_interval_ms: 200, request_timeout_ms: 2_000 },
          },
          accounts: [
            { id: 'ACC-A', type: 'CASH', venue: 'ALPACA' },
            { id: 'ACC-T', type: 'CASH', venue: 'T212' },
          ],
          instruments: [
            { id: 'AAPL.ALPACA', from_venue: true },
            { id: 'AAPL.T212', from_venue: true, symbol: 'AAPL_US_EQ' },
          ],
          data: { subscriptions: [{ instrument: 'AAPL.T212', venue: 'ALPACA', symbol: 'AAPL', quotes: true }] },
          risk: { version: 1, limits: { default: { max_order_quantity: '10', max_order_notional: '5000', max_position_quantity: '20', max_position_notional: '10000' } } },
          logging: { level: 'silent' },
        }),
      );
      const node = await TradingNode.start(loaded.config, { secrets: loaded.secrets, brokers: BROKER_FIXTURES.trading212!.factories! });
      const running = node.run();
      try {
        const [a, t] = [node.engine.instrument('AAPL.ALPACA'), node.engine.instrument('AAPL.T212')];
        // Trading 212 needs 8 places for fractional shares at cent prices; Alpaca's instrument counts USD the same way.
        expect([a.quote.precision, t.quote.precision]).toEqual([8, 8]);
        await until(() => node.engine.portfolio.quote('AAPL.T212' as never) !== undefined, 'an Alpaca quote under AAPL.T212');
        const r = await node.engine.submitOrder({ clientOrderId: 't-1', accountId: 'ACC-T', instrumentId: 'AAPL.T212', side: 'BUY', type: 'LIMIT', quantity: '1.5', price: '187.50', timeInForce: 'GTC' });
        expect(r.denied).toEqual([]);
        await until(() => node.engine.order('t-1')?.status === 'FILLED', 't-1 filled at Trading 212');
        expect(node.engine.order('t-1')!.avgPx?.toString()).toBe('187.42');
        // Without a price the gate would have denied it: the same order on an instrument with no data is.
        const bare = await node.engine.submitOrder({ clientOrderId: 'a-1', accountId: 'ACC-A', instrumentId: 'AAPL.ALPACA', side: 'BUY', type: 'LIMIT', quantity: '1', price: '187.50' });
        expect(bare.denied.map((d) => d.code)).toEqual(['REFERENCE_PRICE_MISSING']);
      } finally {
        node.requestStop();
        await running;
      }
    } finally {
      clearInterval(pushes);
      await alpaca.close();
      await t212.close();
    }
  }, 60_000);
});

describe('a live node on Alpaca with a bracket held at the broker', () => {
  /** On its first quote: a bracket on 2 AAPL (entry limit 187.00, take-profit 190.00, stop-loss 185.00); full: the entry is known filled. */
  function bracketTrader(sent: string[]): Record<string, StrategyFactory> {
    const create = (): Strategy => {
      let busy = false;
      const act = async (ctx: Parameters<NonNullable<Strategy['onQuote']>>[1]): Promise<void> => {
        if (busy || sent.length > 0) return;
        busy = true;
        const r = await ctx.bracket({ entry: { instrumentId: 'AAPL.ALPACA', side: 'BUY', type: 'LIMIT', quantity: '2', price: '187.00', timeInForce: 'GTC' }, takeProfitPrice: '190.00', stopLossTriggerPrice: '185.00' });
        expect(r.denied).toEqual([]);
        sent.push(...r.clientOrderIds);
      };
      return { name: 'bracket', onBar: () => undefined, onQuote: (_q, ctx) => act(ctx) };
    };
    return { bracket: { name: 'bracket', description: 'test: one bracket on the first quote', params: [], create } };
  }

  it('passes the gate, rests its legs at Alpaca (not in the emulator), and after a restart finds the take-profit filled and the stop canceled by Alpaca, once', async () => {
    fixture = await BROKER_FIXTURES.alpaca!.start();
    const dir = tempDir();
    const loaded = parseNodeConfig(
      yaml({
        node: { id: 'alpaca-bracket', mode: 'live', journal: { sqlite: join(dir, 'journal.sqlite') } },
        venues: { ALPACA: { ...fixture.venueConfig, cancel_on_stop: false } },
        accounts: [{ id: 'ACC-1', type: 'CASH', venue: 'ALPACA' }],
        instruments: [{ id: 'AAPL.ALPACA', from_venue: true }],
        data: { subscriptions: [{ instrument: 'AAPL.ALPACA', quotes: true }] },
        risk: { version: 1, limits: { default: BROKER_FIXTURES.alpaca!.limits! } },
        logging: { level: 'silent' },
      }),
    );
    const config = { ...loaded.config, strategies: [{ name: 'bracket', id: 'br-1', params: {}, instruments: ['AAPL.ALPACA'], account: 'ACC-1' }] };
    const sent: string[] = [];
    const node = await TradingNode.start(config, { secrets: loaded.secrets, strategies: bracketTrader(sent) });
    const running = node.run();
    await until(() => sent.length === 1, 'the bracket sent');
    const [entry] = sent as [string];
    const children = [`${entry}-TP-1`, `${entry}-SL-1`];
    await until(() => [entry, ...children].every((id) => node.engine.order(id)?.status === 'ACCEPTED'), 'the entry and both legs accepted');
    expect(node.orderEmulator.heldOrders()).toEqual([]);
    expect(node.orderEmulator.contingencies.watching()).toEqual([]);
    node.requestStop();
    await running;

    // Down: the entry fills, the take-profit fills, Alpaca cancels the stop.
    await fixture.print!('187.00');
    await fixture.print!('190.00');
    const again = await TradingNode.start(config, { secrets: loaded.secrets, strategies: bracketTrader(['done']) });
    expect(again.reconciled.map((r) => [r.halted, r.positionMismatches.length, r.ordersAdopted.length])).toEqual([[false, 0, 0]]);
    await until(() => again.engine.order(children[0]!)?.status === 'FILLED' && again.engine.order(children[1]!)?.status === 'CANCELED', 'the take-profit filled and the stop canceled');
    expect(again.engine.portfolio.openPositions()).toEqual([]);
    await again.stop();
    const replayed = await replayJournal(join(dir, 'journal.sqlite'));
    expect(replayed.events.filter((e) => e.kind === 'OrderFilled').map((e) => (e as { clientOrderId: string }).clientOrderId)).toEqual([entry, children[0]]);
    expect(replayed.state).toBe(stateText(again.engine));
  }, 60_000);
});
