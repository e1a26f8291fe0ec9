import { describe, expect, it } from 'vitest';
import { instrumentSpecFor } from '../../src/backtest/instruments.ts';
import { Instrument } from '../../src/model/instrument.ts';
import { volumeLots } from '../../src/venues/sim/exchange/sim-order.ts';

describe('bar volume in lots', () => {
  it('reads exponent notation as Binance exports write tiny volumes ("9e-05" = 9 lots of 0.00001)', () => {
    const inst = new Instrument(instrumentSpecFor('BTCUSDT.BINANCEUS'));
    expect(volumeLots('9e-05', inst)).toBe(9);
    expect(volumeLots('2.131777', inst)).toBe(213177);
    expect(volumeLots('1.5E-3', inst)).toBe(150);
  });
});
