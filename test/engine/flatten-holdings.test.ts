import { describe, expect, it } from 'vitest';
import { TestClock } from '../../src/engine/clock.ts';
import { Engine } from '../../src/engine/engine.ts';
import { MemoryJournal } from '../../src/engine/journal.ts';
import { RiskControl } from '../../src/risk/control/risk-control.ts';
import type { EngineAlert } from '../../src/engine/topics.ts';
import { Currencies } from '../../src/model/currency.ts';
import { accountId } from '../../src/model/identifiers.ts';
import { Instrument } from '../../src/model/instrument.ts';
import { Money } from '../../src/model/money.ts';
import { Account } from '../../src/portfolio/account.ts';
import { sellableQuantity } from '../../src/portfolio/sellable.ts';
import { feePort } from '../../src/venues/sim/exchange/configured-models.ts';
import { SimulatedExchange } from '../../src/venues/sim/exchange/simulated-exchange.ts';
import { MakerTakerFee, type FeeCurrency } from '../../src/venues/sim/models/fees.ts';
import { settle } from './fixtures.ts';

const T0 = Date.parse('2024-03-01T00:00:00Z');
const ID = 'BTCUSDT.SIM';
const SPEC = { id: ID, kind: 'SPOT', base: Currencies.BTC, quote: Currencies.USDT, tickSize: '0.01', lotSize: '0.001', makerFee: '0.001', takerFee: '0.001' } as const;

/** Engine + simulated exchange charging 10 bps in `feeCurrency`, a CASH account A with 100,000 USDT, and risk control. */
async function exchangeSetup(feeCurrency: FeeCurrency) {
  const clock = new TestClock(T0);
  const engine = new Engine({ clock, journal: new MemoryJournal() });
  const ex = new SimulatedExchange({ id: 'SIM', clock, fees: feePort(MakerTakerFee.fromConfig({ fee_currency: feeCurrency }), clock) });
  engine.addVenue(ex);
  const inst = await engine.registerInstrument(SPEC);
  await engine.openAccount({ id: 'A', type: 'CASH', balances: [Money.of('100000', Currencies.USDT)] });
  const alerts: EngineAlert[] = [];
  engine.bus.subscribe('alert', (a) => alerts.push(a));
  const control = new RiskControl(engine, []);
  await control.start();
  const quote = async (bid: string, ask: string): Promise<void> => {
    clock.set(clock.now() + 1_000);
    ex.onQuote(inst, inst.price(bid), inst.price(ask));
    engine.updateMarket(ID, { bid: inst.price(bid), ask: inst.price(ask), last: inst.price(bid) });
    await settle();
  };
  const btc = (): string => engine.portfolio.account(accountId('A')).balance(Currencies.BTC).total.toString();
  const position = (): string => engine.portfolio.allPositions()[0]?.quantity.toString() ?? 'none';
  return { engine, control, alerts, quote, btc, position };
}

describe('the kill switch flattens what a CASH account holds, not more (issue 11.6)', () => {
  it('fees in BTC: long 1.000 holding 0.999, the flatten sells 0.998 (0.998 + its 0.000998 fee ≤ 0.999): BTC ends at 0.000002, not −0.002', async () => {
    const h = await exchangeSetup('BASE');
    await h.quote('99.99', '100.00');
    await h.engine.submitOrder({ clientOrderId: 'B-1', accountId: 'A', strategyId: 's1', instrumentId: ID, side: 'BUY', type: 'MARKET', quantity: '1' });
    await h.quote('99.99', '100.00');
    expect(h.position()).toBe('1.000');
    expect(h.btc()).toBe('0.99900000 BTC');

    await h.control.engageKillSwitch({ operator: h.engine.authority.issue('ops', ['RISK']), reason: 'drill', flatten: true });
    await h.quote('99.99', '100.00');

    const flat = [...h.engine.state.orders.values()].filter((o) => o.clientOrderId.startsWith('FLAT-'));
    expect(flat.map((o) => [o.side, o.quantity.toString(), o.status])).toEqual([['SELL', '0.998', 'FILLED']]);
    expect(h.btc()).toBe('0.00000200 BTC');
    expect(h.position()).toBe('0.002');
    expect(h.alerts.filter((a) => a.code === 'FLATTEN_REDUCED').map((a) => a.context)).toEqual([
      { positionId: 'A/BTCUSDT.SIM/s1', position: '1.000', free: '0.99900000 BTC', selling: '0.998' },
    ]);
  });

  it('fees in USDT: long 1.000 holding 1.000, the flatten sells all 1.000 and nothing is alerted', async () => {
    const h = await exchangeSetup('QUOTE');
    await h.quote('99.99', '100.00');
    await h.engine.submitOrder({ clientOrderId: 'B-1', accountId: 'A', strategyId: 's1', instrumentId: ID, side: 'BUY', type: 'MARKET', quantity: '1' });
    await h.quote('99.99', '100.00');
    await h.control.engageKillSwitch({ operator: h.engine.authority.issue('ops', ['RISK']), reason: 'drill', flatten: true });
    await h.quote('99.99', '100.00');
    expect(h.btc()).toBe('0.00000000 BTC');
    expect(h.position()).toBe('0.000');
    expect(h.alerts.map((a) => a.code)).not.toContain('FLATTEN_REDUCED');
  });
});

describe('sellableQuantity: what a sell can deliver from a CASH account', () => {
  const inst = new Instrument({ ...SPEC, lotSize: '0.005' });
  const cash = (btc: string): Account => {
    const a = new Account(accountId('A'), 'CASH', 'NETTING');
    a.adjust(Money.of(btc, Currencies.BTC));
    return a;
  };

  it('holding 0.999 BTC on a 0.005 lot, a sell of 1.000 is cut to 0.995; holding 2 it stays 1.000', () => {
    expect(sellableQuantity(cash('0.999'), inst, inst.quantity('1')).toString()).toBe('0.995');
    expect(sellableQuantity(cash('2'), inst, inst.quantity('1')).toString()).toBe('1.000');
  });

  it('holding 0.004 BTC (less than a lot) or nothing, nothing can be sold', () => {
    expect(sellableQuantity(cash('0.004'), inst, inst.quantity('1')).toString()).toBe('0.000');
    expect(sellableQuantity(new Account(accountId('A'), 'CASH', 'NETTING'), inst, inst.quantity('1')).toString()).toBe('0.000');
  });

  it('with a 10 bps fee taken in BTC, holding 1.000: 0.995 (0.995 + 0.000995 ≤ 1), not 1.000', () => {
    expect(sellableQuantity(cash('1'), inst, inst.quantity('1'), inst.takerFee).toString()).toBe('0.995');
  });

  it('a MARGIN account sells what it wants, whatever it holds in BTC', () => {
    const margin = new Account(accountId('M'), 'MARGIN', 'NETTING');
    expect(sellableQuantity(margin, inst, inst.quantity('1')).toString()).toBe('1.000');
  });
});
