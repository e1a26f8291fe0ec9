import { describe, expect, it } from 'vitest';
import { breakerStatus } from '../../../src/risk/breakers/index.ts';
import { FLATTEN_TAG } from '../../../src/risk/control/risk-control.ts';
import { common, MINUTE, rig } from './rig.ts';

describe('daily loss breaker', () => {
  it('trips HALT at a 3% loss of 1,000,000 start-of-day equity (equity 970,000), not at 970,001', async () => {
    const r = await rig({ daily_loss: { ...common(), max_daily_loss_pct: 3 } });
    await r.trade('B1', 'BUY', '100'); // 100 ETH at 2000.00
    await r.mark('1700.01'); // equity 800,000 + 170,001
    expect(r.trips()).toHaveLength(0);
    expect(r.state()).toBe('ACTIVE');
    await r.mark('1700.00'); // equity 970,000: a 3.0% loss
    expect(r.trips()).toMatchObject([{ breaker: 'daily_loss', scope: 'ACCOUNT:ACC-1', value: 3, threshold: 3, action: 'HALT', autoResetAt: undefined }]);
    expect(r.state()).toBe('HALTED');
    expect(r.state('ACC-2')).toBe('ACTIVE');
    expect(r.alertCodes()).toContain('BREAKER_TRIPPED');
  });

  it('trips on the absolute limit: a loss of 20,000 USDT trips max_daily_loss "20000", 19,999 does not', async () => {
    const r = await rig({ daily_loss: { ...common(), max_daily_loss: '20000' } });
    await r.trade('B1', 'BUY', '100');
    await r.mark('1800.01');
    expect(r.trips()).toHaveLength(0);
    await r.mark('1800.00');
    expect(r.trips()).toMatchObject([{ breaker: 'daily_loss', value: 20000, threshold: 20000 }]);
  });

  it('starts a new day at 17:00 America/New_York: 2% lost before and 2% after the boundary never reach 3%', async () => {
    // T0 is 2024-01-02T00:00Z = 19:00 on 1 January in New York: trading day 2024-01-01.
    const r = await rig({ daily_loss: { ...common(), max_daily_loss_pct: 3 } }, { breakers: { day: { timezone: 'America/New_York', boundary: '17:00' } } });
    await r.trade('B1', 'BUY', '100');
    await r.mark('1800.00'); // -20,000: 2%
    expect(breakerStatus(r.engine, r.monitors).dailyPnl[0]).toMatchObject({ scope: 'ACCOUNT:ACC-1', day: '2024-01-01', pnl: '-20000.00000000', pnlPct: -2 });
    await r.tick(21 * 60 * MINUTE + 59 * MINUTE); // 21:59Z on 2 January: 16:59 in New York
    expect(breakerStatus(r.engine, r.monitors).dailyPnl[0]?.day).toBe('2024-01-01');
    await r.tick(MINUTE); // 17:00 in New York: a new trading day starts at equity 980,000
    expect(breakerStatus(r.engine, r.monitors).dailyPnl[0]).toMatchObject({ day: '2024-01-02', startEquity: '980000.00000000', pnl: '0.00000000' });
    await r.mark('1604.01'); // 980,000 → 960,401: -1.99%
    expect(r.trips()).toHaveLength(0);
  });

  it('does not take a withdrawal of 50,000 for a loss', async () => {
    const r = await rig({ daily_loss: { ...common(), max_daily_loss_pct: 3 } });
    const { Money } = await import('../../../src/model/money.ts');
    const { Currencies } = await import('../../../src/model/currency.ts');
    await r.engine.adjustBalance('ACC-1', Money.of('-50000', Currencies.USDT), 'withdrawal', r.engine.authority.issue('treasury', ['TREASURY']));
    await r.control.idle();
    expect(r.trips()).toHaveLength(0);
    expect(breakerStatus(r.engine, r.monitors).dailyPnl[0]).toMatchObject({ startEquity: '950000.00000000', pnl: '0.00000000' });
  });
});

describe('drawdown breaker', () => {
  it('trips at 10% below the 1,100,000 peak (990,000), not at 990,001', async () => {
    const r = await rig({ drawdown: { ...common(), max_drawdown_pct: 10 } });
    await r.trade('B1', 'BUY', '100');
    await r.mark('3000.00'); // peak 1,100,000
    await r.mark('1900.01'); // 990,001
    expect(r.trips()).toHaveLength(0);
    await r.mark('1900.00'); // 990,000
    expect(r.trips()).toMatchObject([{ breaker: 'drawdown', scope: 'ACCOUNT:ACC-1', value: 10, threshold: 10 }]);
    expect(breakerStatus(r.engine, r.monitors).drawdown[0]).toMatchObject({ scope: 'ACCOUNT:ACC-1', peak: '1100000.00000000', equity: '990000.00000000', pct: 10 });
  });
});

describe('position loss breaker', () => {
  it('REDUCEs strategy s1 and flattens when a position is 8% under its 200,000 cost (price 1840.00), not at 1840.01', async () => {
    const r = await rig({ position_loss: { ...common({ scope: 'STRATEGY', action: 'REDUCE', flatten: true }), max_position_loss_pct: 8 } });
    await r.trade('B1', 'BUY', '100');
    await r.mark('1840.01');
    expect(r.trips()).toHaveLength(0);
    await r.mark('1840.00');
    expect(r.trips()).toMatchObject([{ breaker: 'position_loss', scope: 'STRATEGY:s1', value: 8, action: 'REDUCE' }]);
    expect(r.state()).toBe('REDUCING');
    const flatten = [...r.engine.state.orders.values()].filter((o) => o.spec.tags?.includes(FLATTEN_TAG));
    expect(flatten.map((o) => [o.spec.side, o.quantity.toString(), o.status])).toEqual([['SELL', '100.000', 'FILLED']]);
    expect(r.engine.portfolio.openPositions()).toHaveLength(0);
  });
});

describe('portfolio loss breaker', () => {
  it('trips when open positions lose 10,000 USDT together (100 ETH at 1900.00), not 9,999', async () => {
    const r = await rig({ portfolio_loss: { ...common({ scope: 'FIRM' }), max_portfolio_loss: '10000' } });
    await r.trade('B1', 'BUY', '60');
    await r.trade('B2', 'BUY', '40', { strategyId: 's2' });
    await r.mark('1900.01');
    expect(r.trips()).toHaveLength(0);
    await r.mark('1900.00');
    expect(r.trips()).toMatchObject([{ breaker: 'portfolio_loss', scope: 'FIRM', value: 10000, threshold: 10000 }]);
    expect(r.state('ACC-2', 's9')).toBe('HALTED');
  });
});

describe('leverage and concentration breakers', () => {
  it('leverage 0.25 trips at 250,000 gross on 1,000,000 equity (125 ETH), not at 124.999 ETH', async () => {
    const r = await rig({ leverage: { ...common({ action: 'REDUCE' }), max_leverage: 0.25 } });
    await r.trade('B1', 'BUY', '124.999');
    expect(r.trips()).toHaveLength(0);
    await r.trade('B2', 'BUY', '0.001');
    expect(r.trips()).toMatchObject([{ breaker: 'leverage', scope: 'ACCOUNT:ACC-1', value: 0.25, threshold: 0.25, action: 'REDUCE' }]);
    expect(r.state()).toBe('REDUCING');
  });

  it('concentration 20% trips when ETH is 200,000 of 1,000,000 equity (100 ETH), not at 99.999 ETH', async () => {
    const r = await rig({ concentration: { ...common(), max_concentration_pct: 20 } });
    await r.trade('B1', 'BUY', '99.999');
    expect(r.trips()).toHaveLength(0);
    await r.trade('B2', 'BUY', '0.001');
    expect(r.trips()).toMatchObject([{ breaker: 'concentration', value: 20, threshold: 20 }]);
  });
});
