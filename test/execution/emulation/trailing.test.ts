import { describe, expect, it } from 'vitest';
import { OrderEmulator, type EmulatedOrder } from '../../../src/execution/emulation/emulator.ts';
import { initialTrailing, trailingTrigger, type TrailingState } from '../../../src/execution/emulation/trailing.ts';
import { Price } from '../../../src/model/values.ts';
import { emulationSetup, ID } from './harness.ts';

const P = (s: string) => Price.of(s, 2);
const TICK = P('0.01');

/** Feeds prices to a fresh state and returns the stop after each (or 'FIRE'). */
function walk(state: TrailingState, prices: string[]): string[] {
  const out: string[] = [];
  for (const p of prices) {
    const d = trailingTrigger(state, P(p));
    state = d.state;
    out.push(d.trigger ? 'FIRE' : (state.stop?.toString() ?? '-'));
  }
  return out;
}

describe('trailing stop decision (trailingTrigger)', () => {
  it('a 5% sell trail from 100: 110 → 104.50, 120 → 114.00, back to 115 keeps 114.00, 113 fires once', () => {
    const s = initialTrailing({ side: 'SELL', offset: { type: 'BASIS_POINTS', bps: { digits: 500n, scale: 0 } }, tickSize: TICK, activationPrice: undefined });
    expect(walk(s, ['100', '110', '120', '115', '113', '200'])).toEqual(['95.00', '104.50', '114.00', '114.00', 'FIRE', '114.00']);
  });

  it('a buy trail of 3 ticks protects a short: 50.00 → 50.03, down to 49.90 → 49.93, 49.92 keeps it, 49.93 fires', () => {
    const s = initialTrailing({ side: 'BUY', offset: { type: 'TICKS', ticks: 3n }, tickSize: TICK, activationPrice: undefined });
    expect(walk(s, ['50.00', '49.90', '49.92', '49.93'])).toEqual(['50.03', '49.93', '49.93', 'FIRE']);
  });

  it('a 2.00 price trail with activation at 105 is dormant below it: 99 does not fire; 106 arms at 104.00', () => {
    const s = initialTrailing({ side: 'SELL', offset: { type: 'PRICE', price: P('2.00') }, tickSize: TICK, activationPrice: P('105.00') });
    expect(walk(s, ['100', '99', '106', '108', '105.99'])).toEqual(['-', '-', '104.00', '106.00', 'FIRE']);
  });

  it('rounds a bps stop onto the grid away from the market: 33 bps of 101.01 → sell stop 100.67, buy stop 101.35', () => {
    const bps = { type: 'BASIS_POINTS', bps: { digits: 33n, scale: 0 } } as const;
    // 101.01 × 0.9967 = 100.676667 → 100.67 (down); 101.01 × 1.0033 = 101.343333 → 101.35 (up).
    expect(walk(initialTrailing({ side: 'SELL', offset: bps, tickSize: TICK, activationPrice: undefined }), ['101.01'])).toEqual(['100.67']);
    expect(walk(initialTrailing({ side: 'BUY', offset: bps, tickSize: TICK, activationPrice: undefined }), ['101.01'])).toEqual(['101.35']);
  });
});

describe('emulated trailing stop on the simulated exchange (no native trailing stops)', () => {
  async function long100() {
    const h = await emulationSetup();
    await h.bar('100.00', '100.00', '100.00', '100.00');
    await h.order({ clientOrderId: 'BUY-1', side: 'BUY', type: 'MARKET' });
    await h.bar('100.00', '100.00', '100.00', '100.00');
    expect(h.px('BUY-1')).toEqual(['1.000@100.00']);
    return h;
  }

  it('bought at 100 with a 5% trail: 110 → stop 104.50, 120 → 114.00, a drop to 113 exits at the next open 112.80', async () => {
    const h = await long100();
    const held = (await h.emulator.submitTrailingStop({
      clientOrderId: 'TS-1', accountId: 'A', instrumentId: ID, side: 'SELL', quantity: '1', trailingOffset: '500', trailingOffsetType: 'BASIS_POINTS', reduceOnly: true,
    })) as EmulatedOrder;
    expect(held.status).toBe('HELD');
    expect(held.triggerPrice?.toString()).toBe('95.00');
    // The venue never saw it: the engine has no order TS-1 yet.
    expect(h.engine.order('TS-1')).toBeUndefined();
    await h.bar('100.00', '110.00', '100.00', '110.00');
    expect(h.emulator.get('TS-1')?.triggerPrice?.toString()).toBe('104.50');
    await h.bar('110.00', '120.00', '110.00', '120.00');
    expect(h.emulator.get('TS-1')?.triggerPrice?.toString()).toBe('114.00');
    // A pull-back to 115 never loosens it.
    await h.bar('120.00', '120.00', '115.00', '115.00');
    expect(h.emulator.get('TS-1')?.triggerPrice?.toString()).toBe('114.00');
    expect(h.emulator.get('TS-1')?.status).toBe('HELD');
    // Within a bar, down to 113 and back to 114.50: the path's low hits the stop; the exit is released at the close.
    await h.bar('115.00', '116.00', '113.00', '114.50');
    expect(h.emulator.get('TS-1')?.status).toBe('RELEASED');
    const released = h.engine.order('TS-1');
    expect(released?.spec.type).toBe('MARKET');
    expect(released?.spec.reduceOnly).toBe(true);
    expect(released?.spec.tags).toContain('emulated:TRAILING_STOP_MARKET');
    await h.bar('112.80', '113.00', '112.50', '112.90');
    expect(h.px('TS-1')).toEqual(['1.000@112.80']);
    expect(h.position()).toBe('0');
  });

  it('a trailing stop across a gap: stop 104.50, the next bar opens at 101.00, the exit fills at 100.60 (next open), not at the stop', async () => {
    const h = await long100();
    await h.emulator.submitTrailingStop({ clientOrderId: 'TS-1', accountId: 'A', instrumentId: ID, side: 'SELL', quantity: '1', trailingOffset: '500', trailingOffsetType: 'BASIS_POINTS' });
    await h.bar('100.00', '110.00', '100.00', '110.00');
    expect(h.emulator.get('TS-1')?.triggerPrice?.toString()).toBe('104.50');
    await h.bar('101.00', '101.50', '100.50', '100.70');
    expect(h.emulator.get('TS-1')?.status).toBe('RELEASED');
    await h.bar('100.60', '100.90', '100.10', '100.20');
    expect(h.px('TS-1')).toEqual(['1.000@100.60']);
    expect(h.position()).toBe('0');
  });

  it('a trailing stop across a gap seen on a trade at the open (101.00) fills at that bar open 101.00 on the exchange', async () => {
    const h = await long100();
    await h.emulator.submitTrailingStop({ clientOrderId: 'TS-1', accountId: 'A', instrumentId: ID, side: 'SELL', quantity: '1', trailingOffset: '500', trailingOffsetType: 'BASIS_POINTS' });
    await h.bar('100.00', '110.00', '100.00', '110.00');
    // A last price at the gap bar's open reaches the engine before the bar is walked by the venue.
    h.engine.updateMarket(ID, { last: h.inst.price('101.00') });
    await h.emulator.idle();
    expect(h.engine.order('TS-1')?.spec.type).toBe('MARKET');
    await h.bar('101.00', '101.50', '100.50', '100.70');
    expect(h.px('TS-1')).toEqual(['1.000@101.00']);
    expect(h.position()).toBe('0');
  });

  it('a trailing-stop-limit 5% with a 1% limit offset: fired at stop 114.00, it rests as a sell limit at 112.86 and fills there', async () => {
    const h = await long100();
    await h.emulator.submitTrailingStop({
      clientOrderId: 'TSL-1', accountId: 'A', instrumentId: ID, side: 'SELL', quantity: '1', trailingOffset: '500', trailingOffsetType: 'BASIS_POINTS', limitOffset: '100',
    });
    await h.bar('100.00', '120.00', '100.00', '120.00');
    await h.bar('119.00', '119.50', '113.00', '113.00');
    const released = h.engine.order('TSL-1');
    expect(released?.spec.type).toBe('LIMIT');
    expect(released?.price?.toString()).toBe('112.86');
    // The market falls below the limit: no fill yet; then it trades back up through 112.86.
    await h.bar('112.50', '112.70', '112.00', '112.60');
    expect(h.px('TSL-1')).toEqual([]);
    await h.bar('112.60', '113.00', '112.50', '112.90');
    expect(h.px('TSL-1')).toEqual(['1.000@112.86']);
    expect(h.position()).toBe('0');
  });

  it('with activation at 105 and a 2.00 trail, a dip to 99 does nothing; after 108 (stop 106.00) a drop to 105.50 exits', async () => {
    const h = await long100();
    await h.emulator.submitTrailingStop({
      clientOrderId: 'TS-1', accountId: 'A', instrumentId: ID, side: 'SELL', quantity: '1', trailingOffset: '2.00', trailingOffsetType: 'PRICE', activationPrice: '105.00',
    });
    await h.bar('100.00', '100.50', '99.00', '99.50');
    expect(h.emulator.get('TS-1')?.status).toBe('HELD');
    expect(h.emulator.get('TS-1')?.triggerPrice).toBeUndefined();
    await h.bar('99.50', '108.00', '99.50', '107.50');
    expect(h.emulator.get('TS-1')?.triggerPrice?.toString()).toBe('106.00');
    await h.bar('107.50', '107.60', '105.50', '105.60');
    await h.bar('105.40', '105.70', '105.30', '105.50');
    expect(h.px('TS-1')).toEqual(['1.000@105.40']);
  });

  it('the released order passes the gate again: a gate denying it leaves the position open and raises EMULATED_RELEASE_DENIED', async () => {
    const h = await long100();
    await h.emulator.submitTrailingStop({ clientOrderId: 'TS-1', accountId: 'A', instrumentId: ID, side: 'SELL', quantity: '1', trailingOffset: '1.00', trailingOffsetType: 'PRICE' });
    // Swap in a denying gate for the release only.
    const gate = (h.engine as unknown as { gate: { check: () => unknown } }).gate;
    gate.check = () => ({ ok: false, code: 'INSTRUMENT_RESTRICTED', reason: 'denied by the test', context: {} });
    await h.bar('100.00', '100.00', '98.00', '98.50');
    expect(h.engine.order('TS-1')?.status).toBe('DENIED');
    expect(h.alerts.map((a) => a.code)).toContain('EMULATED_RELEASE_DENIED');
    expect(h.position()).toBe('1.000');
  });

  it('a venue with native trailing stops gets the TRAILING_STOP_MARKET order itself', async () => {
    const h = await emulationSetup();
    const native = new OrderEmulator(h.engine, { capabilities: [{ id: 'SIM', capabilities: { ...h.ex.capabilities, trailingStops: true } }] });
    expect(native.emulatesTrailing(ID)).toBe(false);
    await native.submitTrailingStop({ clientOrderId: 'TS-N', accountId: 'A', instrumentId: ID, side: 'SELL', quantity: '1', trailingOffset: '10', trailingOffsetType: 'TICKS' });
    // This exchange rejects it: proof it went to the venue, not into the emulator.
    expect(h.engine.order('TS-N')?.status).toBe('REJECTED');
    expect(native.heldOrders()).toEqual([]);
  });

  it('a canceled held stop never releases: cancel, then a drop to 90 leaves the position 1.000', async () => {
    const h = await long100();
    await h.emulator.submitTrailingStop({ clientOrderId: 'TS-1', accountId: 'A', instrumentId: ID, side: 'SELL', quantity: '1', trailingOffset: '1.00', trailingOffsetType: 'PRICE' });
    expect(h.emulator.cancel('TS-1')).toBe(true);
    await h.bar('100.00', '100.00', '90.00', '90.00');
    await h.bar('90.00', '90.00', '90.00', '90.00');
    expect(h.emulator.get('TS-1')?.status).toBe('CANCELED');
    expect(h.engine.order('TS-1')).toBeUndefined();
    expect(h.position()).toBe('1.000');
  });
});
