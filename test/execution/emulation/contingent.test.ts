import { describe, expect, it } from 'vitest';
import { ContingencyManager } from '../../../src/execution/emulation/contingent.ts';
import { Currencies } from '../../../src/model/currency.ts';
import { Money } from '../../../src/model/money.ts';
import { emulationSetup, ID } from './harness.ts';

const base = { accountId: 'A', instrumentId: ID } as const;

describe('bracket: entry → take-profit LIMIT + stop-loss STOP_MARKET, reduce-only, OUO between them', () => {
  it('PARTIAL: an entry of 3 filled 2 then 1 (10% of 20-unit bars) gets pairs of 2 and 1; both take-profits fill at 110 and the stops are canceled', async () => {
    const h = await emulationSetup({ maxBarVolumeShare: 0.1 });
    await h.bar('100.00', '100.00', '100.00', '100.00', '20');
    await h.emulator.submitBracket({ entry: { ...base, clientOrderId: 'E-1', side: 'BUY', type: 'MARKET', quantity: '3' }, takeProfitPrice: '110.00', stopLossTriggerPrice: '95.00' });
    await h.bar('100.00', '101.00', '99.50', '100.50', '20');
    expect(h.px('E-1')).toEqual(['2.000@100.00']);
    expect(h.engine.order('E-1-TP-1')?.quantity.toString()).toBe('2.000');
    expect(h.engine.order('E-1-SL-1')?.spec).toMatchObject({ type: 'STOP_MARKET', side: 'SELL', reduceOnly: true });
    expect(h.engine.order('E-1-TP-1')?.spec).toMatchObject({ type: 'LIMIT', side: 'SELL', reduceOnly: true });
    expect(h.engine.order('E-1-TP-2')).toBeUndefined();
    await h.bar('101.00', '102.00', '100.50', '101.50', '20');
    expect(h.px('E-1')).toEqual(['2.000@100.00', '1.000@101.00']);
    expect(h.engine.order('E-1-TP-2')?.quantity.toString()).toBe('1.000');
    expect(h.engine.order('E-1-SL-2')?.quantity.toString()).toBe('1.000');
    expect(h.position()).toBe('3.000');
    await h.bar('101.50', '111.00', '101.50', '110.50', '100');
    expect(h.px('E-1-TP-1')).toEqual(['2.000@110.00']);
    expect(h.px('E-1-TP-2')).toEqual(['1.000@110.00']);
    // Reduce-only: the venue expires it once the position is closed (as Binance futures), before the OUO cancel arrives.
    expect(h.engine.order('E-1-SL-1')?.status).toBe('EXPIRED');
    expect(h.engine.order('E-1-SL-2')?.status).toBe('EXPIRED');
    expect(h.position()).toBe('0');
  });

  it('FULL: a limit entry of 3 filled 2 then canceled gets one pair of 2 when it is done, none before', async () => {
    const h = await emulationSetup({ maxBarVolumeShare: 0.1 });
    await h.bar('100.50', '100.50', '100.50', '100.50', '20');
    await h.emulator.submitBracket({
      entry: { ...base, clientOrderId: 'E-1', side: 'BUY', type: 'LIMIT', price: '100.00', quantity: '3' }, takeProfitPrice: '110.00', stopLossTriggerPrice: '95.00', trigger: 'FULL',
    });
    await h.bar('100.50', '100.60', '99.50', '100.20', '20');
    expect(h.px('E-1')).toEqual(['2.000@100.00']);
    expect(h.engine.order('E-1-TP-1')).toBeUndefined();
    await h.engine.cancelOrder('E-1');
    await h.emulator.idle();
    expect(h.engine.order('E-1')?.status).toBe('CANCELED');
    expect(h.engine.order('E-1-TP-1')?.quantity.toString()).toBe('2.000');
    expect(h.engine.order('E-1-SL-1')?.quantity.toString()).toBe('2.000');
    expect(h.engine.order('E-1-TP-2')).toBeUndefined();
    // The stop at 95 protects the 2: the bar's path reaches 94.00 and the stop fills there (no finer path).
    await h.bar('100.20', '100.30', '94.00', '94.50', '20');
    expect(h.px('E-1-SL-1')).toEqual(['2.000@94.00']);
    expect(h.engine.order('E-1-SL-1')?.status).toBe('FILLED');
    // Reduce-only: the venue expires it once the position is closed (as Binance futures), before the OUO cancel arrives.
    expect(h.engine.order('E-1-TP-1')?.status).toBe('EXPIRED');
    expect(h.position()).toBe('0');
  });

  it('take-profit 105 and stop 95 both hit in one bar (100 → 106 → 94): the venue fills the take-profit and expires the reduce-only stop (nothing left to reduce); the position ends flat with no correction', async () => {
    const h = await emulationSetup();
    await h.bar('100.00', '100.00', '100.00', '100.00');
    await h.emulator.submitBracket({ entry: { ...base, clientOrderId: 'E-1', side: 'BUY', type: 'MARKET', quantity: '1' }, takeProfitPrice: '105.00', stopLossTriggerPrice: '95.00' });
    await h.bar('100.00', '100.00', '100.00', '100.00');
    expect(h.position()).toBe('1.000');
    await h.bar('100.00', '106.00', '94.00', '100.00');
    // The path goes high first (a tie): the take-profit fills at 105 and closes the position; the
    // stop triggers at 94 before any cancel arrives, but is reduce-only with nothing to reduce.
    expect(h.px('E-1-TP-1')).toEqual(['1.000@105.00']);
    expect(h.px('E-1-SL-1')).toEqual([]);
    expect(h.engine.order('E-1-SL-1')?.status).toBe('EXPIRED');
    expect(h.alerts.map((a) => a.code)).not.toContain('OUO_OVERFILL');
    expect(h.position()).toBe('0');
  });

  it('buy limit 99 / sell limit 105: the bar falls to 98.50, the buy fills at 99 and the sell is canceled; position +1', async () => {
    const h = await emulationSetup();
    await h.bar('100.00', '100.00', '100.00', '100.00');
    await h.emulator.submitOco(
      { ...base, clientOrderId: 'O-B', side: 'BUY', type: 'LIMIT', price: '99.00', quantity: '1' },
      { ...base, clientOrderId: 'O-S', side: 'SELL', type: 'LIMIT', price: '105.00', quantity: '1' },
    );
    expect(h.engine.order('O-B')?.spec.orderListId).toBe('O-B-OCO');
    await h.bar('100.00', '100.20', '98.50', '99.50');
    expect(h.px('O-B')).toEqual(['1.000@99.00']);
    expect(h.engine.order('O-S')?.status).toBe('CANCELED');
    await h.bar('99.50', '106.00', '99.50', '105.50');
    expect(h.px('O-S')).toEqual([]);
    expect(h.position()).toBe('1.000');
  });

  it('a partial fill is enough: 0.5 of the buy at 99 (10% of a 5-unit bar) cancels the sell; the buy keeps working', async () => {
    const h = await emulationSetup({ maxBarVolumeShare: 0.1 });
    await h.bar('100.00', '100.00', '100.00', '100.00', '5');
    await h.emulator.submitOco(
      { ...base, clientOrderId: 'O-B', side: 'BUY', type: 'LIMIT', price: '99.00', quantity: '1' },
      { ...base, clientOrderId: 'O-S', side: 'SELL', type: 'LIMIT', price: '105.00', quantity: '1' },
    );
    await h.bar('100.00', '100.20', '98.50', '99.50', '5');
    expect(h.px('O-B')).toEqual(['0.500@99.00']);
    expect(h.engine.order('O-S')?.status).toBe('CANCELED');
    expect(h.engine.order('O-B')?.status).toBe('PARTIALLY_FILLED');
  });

  it('both legs fill in one bar (100 → 102 → 98): the sell at 101 wins, the buy at 99 is reported and reversed; the position ends -1 as the sell alone gives', async () => {
    const h = await emulationSetup();
    // A CASH account sells only coins it holds (a correction too): it starts with 1 BTC to sell.
    await h.engine.adjustBalance('A', Money.of('1', Currencies.BTC), 'deposit', h.engine.authority.issue('treasury', ['TREASURY']));
    await h.bar('100.00', '100.00', '100.00', '100.00');
    await h.emulator.submitOco(
      { ...base, clientOrderId: 'O-B', side: 'BUY', type: 'LIMIT', price: '99.00', quantity: '1' },
      { ...base, clientOrderId: 'O-S', side: 'SELL', type: 'LIMIT', price: '101.00', quantity: '1' },
    );
    await h.bar('100.00', '102.00', '98.00', '100.00');
    expect(h.px('O-S')).toEqual(['1.000@101.00']);
    expect(h.px('O-B')).toEqual(['1.000@99.00']);
    const alert = h.alerts.find((a) => a.code === 'OCO_BOTH_FILLED');
    expect(alert?.context).toMatchObject({ clientOrderId: 'O-B', winner: 'O-S', correction: 'O-B-FIX-1' });
    expect(h.engine.order('O-B-FIX-1')?.spec).toMatchObject({ side: 'SELL', type: 'MARKET' });
    await h.bar('100.50', '100.80', '100.20', '100.60');
    expect(h.px('O-B-FIX-1')).toEqual(['1.000@100.50']);
    expect(h.position()).toBe('-1.000');
  });
});

describe('OTO: the child is submitted when the parent fills', () => {
  it('buy limit 99 then a sell limit 103 for what it filled: no child before the fill, then 1.000 at 103', async () => {
    const h = await emulationSetup();
    await h.bar('100.00', '100.00', '100.00', '100.00');
    await h.emulator.submitOto({
      parent: { ...base, clientOrderId: 'P-1', side: 'BUY', type: 'LIMIT', price: '99.00', quantity: '1' },
      child: { ...base, clientOrderId: 'C-1', side: 'SELL', type: 'LIMIT', price: '103.00' },
    });
    await h.bar('100.00', '100.50', '99.50', '100.00');
    expect(h.engine.order('C-1')).toBeUndefined();
    await h.bar('100.00', '100.20', '98.80', '99.20');
    expect(h.px('P-1')).toEqual(['1.000@99.00']);
    expect(h.engine.order('C-1')?.spec).toMatchObject({ side: 'SELL', type: 'LIMIT', parentOrderId: 'P-1' });
    expect(h.engine.order('C-1')?.quantity.toString()).toBe('1.000');
    await h.bar('99.20', '103.50', '99.20', '103.00');
    expect(h.px('C-1')).toEqual(['1.000@103.00']);
    expect(h.position()).toBe('0');
  });

  it('a parent canceled unfilled releases no child', async () => {
    const h = await emulationSetup();
    await h.bar('100.00', '100.00', '100.00', '100.00');
    await h.emulator.submitOto({
      parent: { ...base, clientOrderId: 'P-1', side: 'BUY', type: 'LIMIT', price: '90.00', quantity: '1' },
      child: { ...base, clientOrderId: 'C-1', side: 'SELL', type: 'LIMIT', price: '103.00' },
    });
    await h.engine.cancelOrder('P-1');
    await h.emulator.idle();
    await h.bar('100.00', '100.00', '89.00', '95.00');
    expect(h.engine.order('P-1')?.status).toBe('CANCELED');
    expect(h.engine.order('C-1')).toBeUndefined();
  });
});

describe('ContingencyManager decisions (no engine)', () => {
  it('an OCO leg fill decides one cancel of the other; a second fill of the winner decides nothing', async () => {
    const h = await emulationSetup();
    const m = new ContingencyManager();
    const [list] = m.oco(
      { ...base, clientOrderId: 'X', side: 'BUY', type: 'LIMIT', price: '99.00', quantity: '2' },
      { ...base, clientOrderId: 'Y', side: 'SELL', type: 'LIMIT', price: '101.00', quantity: '2' },
    );
    expect(list).toMatchObject({ do: 'submitList', orderListId: 'X-OCO' });
    const fill = (id: string, qty: string) => ({
      kind: 'OrderFilled' as const, clientOrderId: id as never, tsEvent: 0, tsInit: 0, tradeId: `T-${id}-${qty}` as never, venueOrderId: undefined,
      accountId: 'A' as never, strategyId: 'default' as never, instrumentId: ID as never, positionId: 'P' as never, side: 'BUY' as const,
      lastQty: h.inst.quantity(qty), lastPx: h.inst.price('99.00'), commission: undefined as never, liquidity: 'MAKER' as const,
    });
    expect(m.onEvent(fill('X', '1'))).toEqual([{ do: 'cancel', clientOrderId: 'Y' }]);
    expect(m.onEvent(fill('X', '1'))).toEqual([]);
  });
});
