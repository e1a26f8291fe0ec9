import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { TestClock } from '../../../src/engine/clock.ts';
import { MemoryJournal } from '../../../src/engine/journal.ts';
import { guardedEngine } from '../../../src/risk/control/risk-setup.ts';
import { Currencies } from '../../../src/model/currency.ts';
import { Money } from '../../../src/model/money.ts';
import { loadRiskConfig } from '../../../src/risk/config/load.ts';
import type { RiskConfig } from '../../../src/risk/config/types.ts';
import { ScriptedVenue } from '../../../src/venues/scripted/scripted-venue.ts';

const EXAMPLE = fileURLToPath(new URL('../../../risk.example.yaml', import.meta.url));
const T0 = Date.parse('2024-01-02T15:00:00Z');
const ID = 'BTCUSDT.BINANCE';

/** The repository's example risk file, as shipped, drives a real engine. */
async function setup(journal = new MemoryJournal(), clock = new TestClock(T0), replay = false, edit: (c: RiskConfig) => RiskConfig = (c) => c) {
  const config: RiskConfig = edit(loadRiskConfig(EXAMPLE, { WARDEN_ALERT_WEBHOOK: '' }));
  const market = { px: '40000.00' };
  const g = await guardedEngine({ ...config, alerts: { ...config.alerts, webhook_url: undefined } }, { clock, journal }, replay);
  g.engine.addVenue(new ScriptedVenue({ id: 'BINANCE', clock, marketPrice: () => market.px }));
  if (!replay) {
    await g.engine.registerInstrument({ id: ID, kind: 'SPOT', base: Currencies.BTC, quote: Currencies.USDT, tickSize: '0.01', lotSize: '0.00001', takerFee: '0.001' });
    await g.engine.openAccount({ id: 'ACC-1', type: 'CASH', balances: [Money.of('1000000', Currencies.USDT)] });
  }
  const mark = (px: string) => {
    market.px = px;
    g.engine.updateMarket(ID, { last: g.engine.instrument(ID).price(px) });
  };
  mark('40000.00');
  let n = 0;
  const buy = (qty: string, extra: object = {}) =>
    g.engine.submitOrder({ clientOrderId: `O-${++n}`, accountId: 'ACC-1', strategyId: 's1', instrumentId: ID, side: 'BUY', type: 'MARKET', quantity: qty, ...extra });
  return { ...g, clock, journal, mark, buy, market };
}

describe('the example risk file on a live engine', () => {
  it('lets a 1 BTC order through and denies 3 BTC (max_order_quantity 2) with the code and limits', async () => {
    const h = await setup();
    expect((await h.buy('1')).denied).toEqual([]);
    const r = await h.buy('3');
    expect(r.denied[0]?.code).toBe('MAX_ORDER_QUANTITY_EXCEEDED');
  });

  it('a 3% daily loss trips the HALT breaker, after which the gate denies new orders with TRADING_HALTED', async () => {
    const h = await setup();
    await h.buy('2');
    h.clock.advance(2_000); // past the 1 s duplicate window
    h.mark('40000.00');
    await h.buy('2');
    expect(h.engine.portfolio.openPositions()[0]?.quantity.toString()).toBe('4.00000');
    // 4 BTC bought at 40,000; a fall to 31,000 loses 36,000 (3.6% of 1,000,000, and above 30,000).
    h.mark('31000.00');
    await h.control.idle();
    expect(h.engine.risk.openBreakers().map((b) => b.breaker)).toContain('daily_loss');
    const r = await h.buy('0.1');
    expect(r.denied[0]?.code).toBe('TRADING_HALTED');
  });

  it('the kill switch halts (KILL_SWITCH_ENGAGED), survives a restart, and a strategy cannot lift it', async () => {
    const h = await setup();
    await h.control.engageKillSwitch({ operator: h.engine.authority.issue('ops-1', ['RISK']), reason: 'test' });
    expect((await h.buy('0.1')).denied[0]?.code).toBe('KILL_SWITCH_ENGAGED');
    await expect(h.control.setTradingState('FIRM', 'ACTIVE', { operator: { identity: 'ops-1', roles: ['RISK'] }, reason: 'let me' })).rejects.toMatchObject({ code: 'NOT_AUTHORIZED' });
    expect((await h.buy('0.1')).denied[0]?.code).toBe('KILL_SWITCH_ENGAGED');
    await expect(h.control.resetKillSwitch({ operator: { identity: '', roles: [] }, reason: 'x' })).rejects.toMatchObject({ code: 'NOT_AUTHORIZED' });

    const restarted = await setup(h.journal, h.clock, true);
    expect(restarted.engine.risk.killSwitch?.operator).toBe('ops-1');
    expect((await restarted.buy('0.1', { clientOrderId: 'AFTER-1' })).denied[0]?.code).toBe('KILL_SWITCH_ENGAGED');
    await restarted.control.resetKillSwitch({ operator: restarted.engine.authority.issue('ops-1', ['RISK']), reason: 'all clear' });
    expect((await restarted.buy('0.1', { clientOrderId: 'AFTER-2' })).denied).toEqual([]);
  });

  it('a burst beyond twice the submit throttle (20/s) halts the strategy, not just the orders (FAULTS 10)', async () => {
    // Breakers off: the repeated-executions breaker would otherwise halt this burst first.
    const h = await setup(undefined, undefined, false, (c) => ({ ...c, breakers: {} }));
    // Distinct sizes, so none is a duplicate of another: only the rate is at fault.
    const codes: string[] = [];
    for (let i = 0; i < 45; i++) codes.push((await h.buy((0.001 + i * 0.00001).toFixed(5))).denied[0]?.code ?? 'OK');
    expect(codes.slice(0, 20).every((c) => c === 'OK')).toBe(true);
    expect(codes[20]).toBe('RATE_LIMIT_EXCEEDED');
    await h.control.idle();
    expect(h.engine.risk.stateOf('STRATEGY:s1')).toBe('HALTED');
    h.clock.advance(5_000);
    h.mark('40000.00');
    expect((await h.buy('0.001')).denied[0]?.code).toBe('TRADING_HALTED');
  });
});
