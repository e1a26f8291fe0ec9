/**
 * A node's loss of the day for the firm's daily-loss limit: realized + unrealized − commissions
 * over every settlement currency its positions are in (the firm budget, like its exposure limits,
 * counts in one settlement currency: a firm trading several must give each its own firm), measured
 * from the first observation of each UTC day. Kept in memory: a node restarted during the day
 * counts from its restart, and the loss it published before stays in the ledger for that day.
 */
import type { Engine } from '../../engine/engine.ts';
import type { Currency } from '../../model/currency.ts';
import { roundRaw } from '../../model/decimal.ts';
import { AMOUNT_SCALE } from './ledger.ts';

export class DayLoss {
  private day = '';
  private start = 0n;

  constructor(
    private readonly engine: Engine,
    private readonly now: () => number,
  ) {}

  /** The loss since the day's first observation (0n when in profit), at AMOUNT_SCALE. */
  loss(): bigint {
    const day = new Date(this.now()).toISOString().slice(0, 10);
    const pnl = this.pnl();
    if (day !== this.day) {
      this.day = day;
      this.start = pnl;
    }
    const lost = this.start - pnl;
    return lost > 0n ? lost : 0n;
  }

  private pnl(): bigint {
    const currencies = new Map<string, Currency>();
    for (const p of this.engine.portfolio.allPositions()) currencies.set(p.instrument.settlement.code, p.instrument.settlement);
    let sum = 0n;
    for (const c of currencies.values()) {
      for (const row of this.engine.portfolio.pnlByStrategy(c).values()) {
        const raw = row.realized.raw + row.unrealized.raw - row.commissions.raw;
        sum += roundRaw(raw, c.precision, AMOUNT_SCALE, 'DOWN');
      }
    }
    return sum;
  }
}
