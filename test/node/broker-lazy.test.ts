/**
 * A broker the node cannot reach when it starts (IB Gateway restarting, as it does every night):
 * a node whose journal already knows the broker's instruments and account starts anyway, the
 * broker DOWN (its scope REDUCING, its working orders UNKNOWN, calls refused as not sent), and
 * opens it in the background; once TWS answers, the node reconciles (a fill made meanwhile found
 * once) and trades there again. A first start has nothing to go on and fails, naming the venue.
 */
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { venueScope } from '../../src/engine/risk-state/events.ts';
import { parseNodeConfig } from '../../src/node/config/index.ts';
import { TradingNode } from '../../src/node/trading-node.ts';
import { FakeTws } from '../support/fake-ibkr/index.ts';
import { yaml } from './small-node.ts';
import { replayJournal, stateText, tempDir } from './support.ts';

async function until(cond: () => boolean, what: string, ms = 20_000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

let tws: FakeTws | undefined;

afterEach(async () => {
  await tws?.close();
  tws = undefined;
});

function configFor(port: number, journal: string) {
  return parseNodeConfig(
    yaml({
      node: { id: 'lazy-ibkr', mode: 'live', journal: { sqlite: journal } },
      venues: { IBKR: { type: 'ibkr', calendar: 'none', host: '127.0.0.1', port, client_id: 7, connect_timeout_ms: 1_000, ack_timeout_ms: 1_000, query_timeout_ms: 2_000, commission_wait_ms: 200, reconnect_base_ms: 50, reconnect_max_ms: 400, timeout_ms: 2_000, cancel_on_stop: false, health_check_ms: 200 } },
      accounts: [{ id: 'ACC-1', type: 'CASH', venue: 'IBKR' }],
      instruments: [{ id: 'AAPL.IBKR', from_venue: true }],
      logging: { level: 'silent' },
    }),
  ).config;
}

const buy = (id: string, price: string) => ({ clientOrderId: id, accountId: 'ACC-1', instrumentId: 'AAPL.IBKR', side: 'BUY' as const, type: 'LIMIT' as const, quantity: '3', price, timeInForce: 'GTC' as const });

describe('a broker not reached at start', () => {
  it('the node starts on its journal, the broker DOWN and REDUCING; once TWS answers it reconciles the fill made meanwhile and trades again', async () => {
    tws = new FakeTws({});
    await tws.listen();
    tws.book.quote('AAPL', 187.4, 187.42);
    const journal = join(tempDir(), 'journal.sqlite');
    const config = configFor(tws.port, journal);
    const first = await TradingNode.start(config);
    const running = first.run();
    expect((await first.engine.submitOrder(buy('rest-1', '180.00'))).denied).toEqual([]);
    await until(() => first.engine.order('rest-1')?.status === 'ACCEPTED', 'the limit working at IB');
    first.requestStop();
    await running;

    // TWS goes down, and the resting limit fills at IB meanwhile.
    tws.faults.refuseConnections(true);
    tws.book.trade('AAPL', 179.95);
    const node = await TradingNode.start(config);
    const loop = node.run();
    try {
      const scope = venueScope('IBKR');
      await until(() => node.engine.risk.stateOf(scope) === 'REDUCING' && node.engine.order('rest-1')!.status === 'UNKNOWN', 'the venue REDUCING, its order UNKNOWN');
      const h = node.health()[0]!;
      expect([h.venue, h.connected, h.lastError]).toEqual(['IBKR', false, expect.stringMatching(/^not reached since the start \(attempt 1\): /)]);
      expect(node.reconciled).toEqual([]);
      // (This node has no risk limits, so no gate to deny it as REDUCING:) an order for a broker not reached is refused as not sent.
      expect((await node.engine.submitOrder(buy('new-1', '181.00'))).denied).toEqual([]);
      await until(() => node.engine.order('new-1')?.status === 'REJECTED', 'the order refused, not sent');
      expect(tws.requests.filter((r) => r.fields.includes('new-1'))).toEqual([]);

      tws.faults.refuseConnections(false);
      await until(() => node.health()[0]!.connected && node.engine.risk.stateOf(scope) === 'ACTIVE', 'the venue reached and ACTIVE');
      expect(node.engine.order('rest-1')!.status).toBe('FILLED');
      await until(() => node.health()[0]!.heartbeatTs !== undefined, 'a health probe once open');
      expect((await node.engine.submitOrder(buy('new-2', '181.00'))).denied).toEqual([]);
      await until(() => node.engine.order('new-2')?.status === 'ACCEPTED', 'a new order accepted at IB');
    } finally {
      node.requestStop();
      await loop;
    }
    const replayed = await replayJournal(journal);
    const refused = replayed.events.find((e) => e.kind === 'OrderRejected' && (e as { clientOrderId: string }).clientOrderId === 'new-1') as { reason: string } | undefined;
    expect(refused?.reason).toBe('VENUE_DISCONNECTED');
    expect(replayed.events.filter((e) => e.kind === 'OrderFilled').map((e) => (e as { clientOrderId: string }).clientOrderId)).toEqual(['rest-1']);
    expect(replayed.state).toBe(stateText(node.engine));
  }, 60_000);

  it('a first start, with nothing journaled to go on, fails naming the venue', async () => {
    tws = new FakeTws({});
    await tws.listen();
    tws.faults.refuseConnections(true);
    const config = configFor(tws.port, join(tempDir(), 'journal.sqlite'));
    const failed = await TradingNode.start(config).then(
      () => undefined,
      (e: unknown) => e as { code: string; message: string },
    );
    expect(failed?.code).toBe('VENUE_UNAVAILABLE');
    expect(failed?.message).toMatch(/^venue IBKR \(ibkr\) could not be reached: /);
  }, 30_000);
});
