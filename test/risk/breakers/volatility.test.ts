import { describe, expect, it } from 'vitest';
import type { Bar } from '../../../src/model/bar.ts';
import { instrumentId } from '../../../src/model/identifiers.ts';
import { stdev } from '../../../src/risk/breakers/index.ts';
import { ETH } from '../../engine/fixtures.ts';
import { common, MINUTE, rig, type Rig } from './rig.ts';

const T0 = 1_704_153_600_000;
let n = 0;
function bar(open: number, high: number, low: number, close: number): Bar {
  return { instrumentId: instrumentId(ETH), ts: T0 + n++ * MINUTE, durationMs: MINUTE, open: open.toFixed(2), high: high.toFixed(2), low: low.toFixed(2), close: close.toFixed(2), volume: '1' };
}
async function feed(r: Rig, b: Bar): Promise<void> {
  r.engine.updateBar(b);
  await r.control.idle();
}

describe('volatility breaker', () => {
  /** 11 one-minute bars closing 2000, 2010, 2000, 2010, ...: 10 returns of about ±0.5%. */
  async function warm(r: Rig): Promise<number[]> {
    const closes = [2000, 2010, 2000, 2010, 2000, 2010, 2000, 2010, 2000, 2010, 2000];
    for (const c of closes) await feed(r, bar(c, c + 1, c - 1, c));
    return closes.slice(1).map((c, i) => c / (closes[i] ?? c) - 1);
  }

  it('trips on a 1-minute return of 6.01 standard deviations of the last 10 (max_return_sigma 6), not on 5.99', async () => {
    const r = await rig({ volatility: { ...common({ scope: 'FIRM' }), lookback_bars: 10, max_return_sigma: 6 } });
    const sd = stdev(await warm(r));
    const small = Math.round(2000 * (1 - 5.99 * sd) * 100) / 100;
    await feed(r, bar(2000, 2000, small, small));
    expect(r.trips()).toHaveLength(0);
    expect(r.alertCodes()).toContain('BREAKER_NEAR_MISS');
    const r2 = await rig({ volatility: { ...common({ scope: 'FIRM' }), lookback_bars: 10, max_return_sigma: 6 } });
    await warm(r2);
    const big = Math.round(2000 * (1 - 6.01 * sd) * 100) / 100;
    await feed(r2, bar(2000, 2000, big, big));
    expect(r2.trips()).toMatchObject([{ breaker: 'volatility', scope: 'FIRM', threshold: 6 }]);
    expect(r2.trips()[0]?.value).toBeGreaterThanOrEqual(6);
    expect(r2.state()).toBe('HALTED');
  });

  it('trips on a bar range of 5 ATR(10) (max_range_atr 5): range 10.00 over ATR 2.00, not 9.99', async () => {
    const flat = async (r: Rig): Promise<void> => {
      for (let i = 0; i < 11; i++) await feed(r, bar(2000, 2001, 1999, 2000)); // true range 2.00 each
    };
    const r = await rig({ volatility: { ...common({ scope: 'FIRM' }), lookback_bars: 10, max_range_atr: 5 } });
    await flat(r);
    await feed(r, bar(2000, 2004.99, 1995, 2000));
    expect(r.trips()).toHaveLength(0);
    const r2 = await rig({ volatility: { ...common({ scope: 'FIRM' }), lookback_bars: 10, max_range_atr: 5 } });
    await flat(r2);
    await feed(r2, bar(2000, 2005, 1995, 2000));
    expect(r2.trips()).toMatchObject([{ breaker: 'volatility', value: 5, threshold: 5 }]);
  });

  it('judges nothing before lookback_bars + 1 bars: a 50% move on the 2nd bar does not trip', async () => {
    const r = await rig({ volatility: { ...common({ scope: 'FIRM' }), lookback_bars: 10, max_return_sigma: 3, max_range_atr: 3 } });
    await feed(r, bar(2000, 2001, 1999, 2000));
    await feed(r, bar(2000, 3000, 1000, 3000));
    expect(r.trips()).toHaveLength(0);
  });
});
