/**
 * FAULTS.md 16, 22, 25, 26, 28 and 29 re-checked end to end after issue 11, on the whole stack
 * (test/integration/stack.ts): risk.example.yaml behind guardedEngine, a SQLite journal in a temp
 * dir where a restart or the disk matters, the simulated exchange holding the accounts' balances
 * behind a fault-injecting venue (and an Executor for venue faults), the CancelChaser on risk
 * control's cancels, operators with issued credentials, strategies through their context.
 * Unit-level versions: test/execution/faults-15-22.test.ts (16, 22), test/engine/reconcile.test.ts
 * and test/engine/pending-after-restart.test.ts (25), test/execution/kill-switch-in-flight.test.ts,
 * test/engine/flatten-holdings.test.ts and test/risk/breakers/restart.test.ts (26),
 * test/journal/contract.ts (28), test/journal/write-failure.test.ts and file-gone.test.ts (29).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { guardConnection } from '../../src/execution/connection-guard.ts';
import type { Executor } from '../../src/execution/executor.ts';
import { configHash } from '../../src/journal/identity.ts';
import { SqliteJournal } from '../../src/journal/sqlite.ts';
import { Currencies } from '../../src/model/currency.ts';
import { Money } from '../../src/model/money.ts';
import { ConstantLatency } from '../../src/venues/sim/models/index.ts';
import { BTC, exampleConfig, limits, restartStack, startStack } from './stack.ts';

const dir = mkdtempSync(join(tmpdir(), 'warden-recheck-process-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('FAULTS 16: cancel times out → the cancel is retried; "order not found" → query to learn filled or canceled', () => {
  it('two network resets on a strategy\'s cancel: sent again at +100 and +300 ms, CANCELED at both books', async () => {
    const s = await startStack({ executor: true });
    s.quote('39999.99', '40000.01', '40000.00');
    const ctx = s.strategy('alpha');
    const id = (await ctx.submit({ instrumentId: BTC, side: 'BUY', type: 'LIMIT', quantity: '0.5', price: '39999.00' })).clientOrderIds[0]!;
    await s.settle();
    s.faults.addCallFault({ call: 'CANCEL', clientOrderId: id, times: 2, fault: { kind: 'NETWORK_RESET', placed: false } });
    const t0 = s.clock.now();
    await ctx.cancel(id);
    await s.settle();
    const attempts = (s.venue as Executor).executions(id)[1]?.attempts.map((a) => `${a.what} ${a.outcome} +${a.ts - t0}`);
    expect(attempts).toEqual(['CANCEL VENUE_NETWORK +0', 'CANCEL VENUE_NETWORK +100', 'CANCEL OK +300']);
    expect([s.engine.order(id)?.status, s.ex.workingOrders().length]).toEqual(['CANCELED', 0]);
  });

  it('"order not found" for an order whose fill report was lost: the query finds it FILLED 0.5 @ 39,999.00, booked once, the cancel rejected', async () => {
    const s = await startStack({ executor: true });
    s.quote('39999.99', '40000.01', '40000.00');
    const ctx = s.strategy('alpha');
    const id = (await ctx.submit({ instrumentId: BTC, side: 'BUY', type: 'LIMIT', quantity: '0.5', price: '39999.00' })).clientOrderIds[0]!;
    await s.settle();
    s.faults.addReportFault({ fault: 'DROP', reportKind: 'OrderFilled', clientOrderId: id });
    s.trade('39999.00', '5');
    await s.settle();
    expect(s.engine.order(id)?.status).toBe('ACCEPTED');
    s.faults.addCallFault({ call: 'CANCEL', clientOrderId: id, fault: { kind: 'REJECT', reason: 'ORDER_NOT_FOUND' } });
    await ctx.cancel(id);
    await s.settle();
    expect(s.kinds(id).slice(-3)).toEqual(['OrderPendingCancel', 'OrderFilled', 'OrderCancelRejected']);
    expect([s.engine.order(id)?.status, s.position(), await s.venuePosition()]).toEqual(['FILLED', '0.50000', '0.50000']);
  });
});

describe('FAULTS 22: disconnect → state UNKNOWN until reconciled; no new risk-increasing orders meanwhile', () => {
  it('down: the working order is UNKNOWN, VENUE:BINANCE REDUCING, a strategy buy is TRADING_REDUCING; a fill lost meanwhile comes back on reconnect; an operator\'s REDUCING set while down survives the reconnect', async () => {
    const s = await startStack({ executor: true });
    guardConnection(s.engine, s.venue as Executor);
    s.quote('39999.99', '40000.01', '40000.00');
    const ctx = s.strategy('alpha');
    await ctx.market(BTC, 'BUY', '1');
    const id = (await ctx.submit({ instrumentId: BTC, side: 'SELL', type: 'LIMIT', quantity: '0.4', price: '40001.00' })).clientOrderIds[0]!;
    await s.settle();

    s.faults.disconnect();
    await s.settle();
    expect([s.engine.order(id)?.status, s.engine.risk.stateOf('VENUE:BINANCE')]).toEqual(['UNKNOWN', 'REDUCING']);
    s.clock.advance(1_001);
    s.quote('39999.99', '40000.01', '40000.00');
    expect((await ctx.market(BTC, 'BUY', '0.1')).denied.map((d) => d.code)).toEqual(['TRADING_REDUCING']);
    s.trade('40001.00', '0.4'); // the sell fills at the venue; the report is lost
    await s.control.setTradingState('VENUE:BINANCE', 'REDUCING', { operator: s.operator, reason: 'venue flaky, hold new risk' });
    expect(s.position()).toBe('1.00000');

    s.faults.reconnect();
    await s.settle();
    expect([s.engine.order(id)?.status, s.position(), await s.venuePosition()]).toEqual(['FILLED', '0.60000', '0.60000']);
    expect(s.engine.risk.stateOf('VENUE:BINANCE')).toBe('REDUCING');
    s.clock.advance(1_001);
    s.quote('39999.99', '40000.01', '40000.00');
    expect((await ctx.market(BTC, 'BUY', '0.1')).denied.map((d) => d.code)).toEqual(['TRADING_REDUCING']);
    await s.control.setTradingState('VENUE:BINANCE', 'ACTIVE', { operator: s.operator, reason: 'venue fine' });
    expect((await ctx.market(BTC, 'BUY', '0.1')).denied).toEqual([]);
  });
});

describe('FAULTS 25: crash between journal write and venue call → on restart, replay, reconcile before any strategy runs, no duplicate orders', () => {
  it('a submit and a cancel journaled but never sent: after the restart on the reopened SQLite file the submit is REJECTED NOT_AT_VENUE and never sent, the cancel is resent and the order dies; nothing is sent twice', async () => {
    const path = join(dir, 'crash.sqlite');
    const s = await startStack({ journal: SqliteJournal.open({ path }) });
    s.quote('39999.99', '40000.01', '40000.00');
    const ctx = s.strategy('alpha');
    await ctx.submit({ clientOrderId: 'K-1', instrumentId: BTC, side: 'BUY', type: 'LIMIT', quantity: '0.5', price: '39999.00' });
    await ctx.submit({ clientOrderId: 'K-2', instrumentId: BTC, side: 'BUY', type: 'LIMIT', quantity: '0.6', price: '39999.00' });
    // The process dies with these two calls journaled but not made.
    s.faults.addCallFault({ call: 'CANCEL', clientOrderId: 'K-1', fault: { kind: 'DELAY' } });
    s.faults.addCallFault({ call: 'SUBMIT', clientOrderId: 'K-3', fault: { kind: 'DELAY' } });
    await ctx.cancel('K-1');
    await ctx.submit({ clientOrderId: 'K-3', instrumentId: BTC, side: 'BUY', type: 'LIMIT', quantity: '0.7', price: '39999.00' });
    expect([s.engine.order('K-1')?.status, s.engine.order('K-3')?.status]).toEqual(['PENDING_CANCEL', 'SUBMITTED']);
    expect(s.ex.workingOrders().map((o) => o.id)).toEqual(['K-1', 'K-2']);
    await s.journal.close();

    const r = await restartStack(s, { journal: SqliteJournal.open({ path }) });
    expect(r.reconciled).toMatchObject({ neverReachedVenue: ['K-3'], cancelsResent: ['K-1'], halted: false });
    expect(['K-1', 'K-2', 'K-3'].map((id) => r.engine.order(id)?.status)).toEqual(['CANCELED', 'ACCEPTED', 'REJECTED']);
    expect(r.ex.workingOrders().map((o) => o.id)).toEqual(['K-2']);
    r.trade('39999.00', '10');
    await r.settle();
    expect([r.position(), await r.venuePosition()]).toEqual(['0.60000', '0.60000']);
    expect([...r.placed.entries()]).toEqual([['K-1', 1], ['K-2', 1]]);
    await r.journal.close();
  });
});

describe('FAULTS 26: kill switch → cancel every working order, deny risk-increasing orders, survive restart, not liftable by a strategy; a partial failure is retried and reported', () => {
  it('an order in flight (500 ms submit latency) is chased until it lands and is canceled; a cancel that fails twice is retried with alerts; new orders are KILL_SWITCH_ENGAGED, also after a restart; the strategy has no door; only an operator lifts it', async () => {
    const path = join(dir, 'kill.sqlite');
    const s = await startStack({ journal: SqliteJournal.open({ path }), latency: new ConstantLatency(500, 0, 0) });
    s.quote('39999.99', '40000.01', '40000.00');
    const ctx = s.strategy('alpha');
    await ctx.submit({ clientOrderId: 'W-1', instrumentId: BTC, side: 'BUY', type: 'LIMIT', quantity: '0.5', price: '39999.00' });
    s.clock.advance(500);
    s.ex.advance();
    expect(s.engine.order('W-1')?.status).toBe('ACCEPTED');
    await ctx.submit({ clientOrderId: 'F-1', instrumentId: BTC, side: 'BUY', type: 'LIMIT', quantity: '0.6', price: '39999.00' }); // in flight
    s.faults.addCallFault({ call: 'CANCEL', clientOrderId: 'W-1', times: 2, fault: { kind: 'NETWORK_RESET', placed: false } });
    await s.control.engageKillSwitch({ operator: s.operator, reason: 'runaway' });
    await s.settle(); // the chaser's timers run; the clock passes 500 ms and F-1 lands
    expect(['W-1', 'F-1'].map((id) => s.engine.order(id)?.status)).toEqual(['CANCELED', 'CANCELED']);
    expect(s.ex.workingOrders()).toHaveLength(0);
    // Every failure reported: W-1's two network resets, F-1's three "not found" while in flight; F-1 landed (at 500 ms) and died at the retry of 700 ms.
    const retries = (id: string) => s.codes('CANCEL_RETRY').filter((a) => a.context.clientOrderId === id).length;
    expect([retries('W-1'), retries('F-1')]).toEqual([2, 3]);
    expect(s.kinds('F-1').slice(-3)).toEqual(['OrderPendingCancel', 'OrderAccepted', 'OrderCanceled']);
    expect([s.engine.order('F-1')?.filledQty.toString(), s.position()]).toEqual(['0.00000', '0.00000']);
    expect(s.chaser.chasing).toEqual([]);
    s.quote('39999.99', '40000.01', '40000.00');
    expect((await ctx.market(BTC, 'BUY', '0.1')).denied.map((d) => d.code)).toEqual(['KILL_SWITCH_ENGAGED']);
    expect((await ctx.submit({ instrumentId: BTC, side: 'SELL', type: 'MARKET', quantity: '0.1', tags: ['warden:flatten'] }).catch((e: { code: string }) => e.code))).toBe('RESERVED_TAG');
    await expect(s.control.resetKillSwitch({ operator: { identity: 'ops-1', roles: ['RISK'] }, reason: 'a strategy would like to trade' })).rejects.toMatchObject({ code: 'NOT_AUTHORIZED' });
    await s.journal.close();

    const r = await restartStack(s, { journal: SqliteJournal.open({ path }) });
    expect(r.engine.risk.killSwitch).toMatchObject({ operator: 'ops-1', reason: 'runaway' });
    r.quote('39999.99', '40000.01', '40000.00');
    const ctx2 = r.strategy('alpha');
    expect((await ctx2.market(BTC, 'BUY', '0.2')).denied.map((d) => d.code)).toEqual(['KILL_SWITCH_ENGAGED']);
    await expect(r.control.resetKillSwitch({ operator: s.operator, reason: 'a credential of the dead process' })).rejects.toMatchObject({ code: 'NOT_AUTHORIZED' });
    await r.control.resetKillSwitch({ operator: r.operator, reason: 'all clear' });
    expect((await ctx2.market(BTC, 'BUY', '0.2')).denied).toEqual([]);
    await r.journal.close();
  });

  it('flatten sells what a CASH account holds: ACC-2 long 1 BTC but 0.3 withdrawn, so the flatten sells 0.7 (FLATTEN_REDUCED) and no balance goes below zero', async () => {
    const s = await startStack();
    s.quote('39999.99', '40000.01', '40000.00');
    const ctx = s.strategy('gamma', 'ACC-2');
    await ctx.market(BTC, 'BUY', '1');
    await s.engine.adjustBalance('ACC-2', Money.of('-0.3', Currencies.BTC), 'sent to cold storage', s.engine.authority.issue('treasurer', ['TREASURY']));
    expect(ctx.sellable(BTC).toString()).toBe('0.70000');
    await s.control.engageKillSwitch({ operator: s.operator, reason: 'flatten all', flatten: true });
    await s.settle();
    const flat = s.events.find((e) => e.kind === 'OrderInitialized' && e.clientOrderId.startsWith('FLAT-'));
    expect(flat && flat.kind === 'OrderInitialized' ? [flat.spec.side, flat.spec.quantity.toString()] : []).toEqual(['SELL', '0.70000']);
    expect(s.codes('FLATTEN_REDUCED')).toHaveLength(1);
    expect([s.balance('ACC-2', 'BTC').total.toDecimalString(), s.position('ACC-2')]).toEqual(['0.00000000', '0.30000']);
    expect(s.venueBalance('ACC-2', 'BTC')?.total.toDecimalString()).toBe('0.30000000'); // the venue was never told of the withdrawal
  });
});

describe('FAULTS 28: config or version mismatch between the journal and the running code → refuse to trade', () => {
  it('a journal written under the example config refuses another config hash and an open with no identity (JOURNAL_MISMATCH); allowMismatch opens it and records the run as allowed', async () => {
    const path = join(dir, 'identity.sqlite');
    const config = exampleConfig();
    const first = SqliteJournal.open({ path, identity: { configHash: configHash(config) } });
    const s = await startStack({ journal: first, config });
    s.quote('39999.99', '40000.01', '40000.00');
    await s.strategy('alpha').market(BTC, 'BUY', '0.1');
    await first.close();
    const other = configHash(exampleConfig(limits({ duplicate_window_ms: 0 })));
    expect(() => SqliteJournal.open({ path, identity: { configHash: other } })).toThrow(expect.objectContaining({ code: 'JOURNAL_MISMATCH' }));
    expect(() => SqliteJournal.open({ path })).toThrow(expect.objectContaining({ code: 'JOURNAL_MISMATCH' }));
    expect(() => SqliteJournal.open({ path, identity: { configHash: configHash(config), codeVersion: '0.0.0-old' } })).toThrow(expect.objectContaining({ code: 'JOURNAL_MISMATCH' }));
    const same = SqliteJournal.open({ path, identity: { configHash: configHash(config) } });
    expect(same.runs().map((r) => r.allowedMismatch)).toEqual([false, false]);
    await same.close();
    const allowed = SqliteJournal.open({ path, identity: { configHash: other, allowMismatch: true } });
    expect(allowed.runs().at(-1)).toMatchObject({ configHash: other, allowedMismatch: true });
    await allowed.close();
  });
});

describe('FAULTS 29: disk full or the journal file gone → stop accepting commands, never acknowledge unjournaled work', () => {
  it('the SQLite file is full: the strategy\'s order rejects JOURNAL_WRITE_FAILED, the engine stops (ENGINE_STOPPED after), the venue never sees it, the file holds exactly what was acknowledged', async () => {
    const path = join(dir, 'full.sqlite');
    const j = SqliteJournal.open({ path });
    const s = await startStack({ journal: j });
    s.quote('39999.99', '40000.01', '40000.00');
    const ctx = s.strategy('alpha');
    await ctx.submit({ clientOrderId: 'A-1', instrumentId: BTC, side: 'BUY', type: 'LIMIT', quantity: '0.5', price: '39999.00' });
    const acknowledged = j.durableSeq();
    j.database.pragma(`max_page_count = ${j.database.pragma('page_count', { simple: true }) as number}`);
    await expect(ctx.submit({ clientOrderId: 'A-2', instrumentId: BTC, side: 'BUY', type: 'LIMIT', quantity: '0.5', price: '39999.01', tags: ['x'.repeat(100_000)] })).rejects.toMatchObject({ code: 'JOURNAL_WRITE_FAILED' });
    await expect(ctx.market(BTC, 'BUY', '0.1')).rejects.toMatchObject({ code: 'ENGINE_STOPPED' });
    await expect(s.control.engageKillSwitch({ operator: s.operator, reason: 'disk' })).rejects.toMatchObject({ code: 'ENGINE_STOPPED' });
    expect([...s.placed.keys()]).toEqual(['A-1']);
    expect(s.codes('ENGINE_STOPPED')).toHaveLength(1);
    await j.close().catch(() => undefined);
    const reopened = SqliteJournal.open({ path });
    expect(reopened.lastSeq()).toBe(acknowledged);
    await reopened.close();
  });

  it('the journal file is deleted while running: the next order rejects JOURNAL_FILE_GONE, later ones ENGINE_STOPPED, and nothing more reaches the venue', async () => {
    const path = join(dir, 'deleted.sqlite');
    const j = SqliteJournal.open({ path });
    const s = await startStack({ journal: j });
    s.quote('39999.99', '40000.01', '40000.00');
    const ctx = s.strategy('alpha');
    await ctx.submit({ clientOrderId: 'B-1', instrumentId: BTC, side: 'BUY', type: 'LIMIT', quantity: '0.5', price: '39999.00' });
    rmSync(path);
    await expect(ctx.submit({ clientOrderId: 'B-2', instrumentId: BTC, side: 'BUY', type: 'LIMIT', quantity: '0.5', price: '39999.01' })).rejects.toMatchObject({ code: 'JOURNAL_FILE_GONE' });
    await expect(ctx.submit({ clientOrderId: 'B-3', instrumentId: BTC, side: 'BUY', type: 'LIMIT', quantity: '0.5', price: '39999.02' })).rejects.toMatchObject({ code: 'ENGINE_STOPPED' });
    expect([...s.placed.keys()]).toEqual(['B-1']);
    await j.close().catch(() => undefined);
  });
});
