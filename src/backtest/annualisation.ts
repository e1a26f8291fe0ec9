/**
 * How many bars make a year, inferred from the times bars OPEN at (never their close: a daily
 * stock bar closes at the next midnight, so a Friday bar would look like a Saturday one and the
 * data like a 7-day market).
 *
 * With `step` the smallest positive gap between two consecutive opens:
 * - step under a day (intraday bars): a bar count per day times the trading days a year. Days are
 *   365 when some bar opens on a Saturday or Sunday (UTC), else 252 (a weekday market). The count
 *   per day is the most bars that opened in one UTC day, at most a day ÷ step, so a 6.5-hour
 *   session of minute bars gives 390 a day and a 24-hour market 1,440. Less than a week of data
 *   cannot show the session or the weekends: it is taken as a 24/7 market (day ÷ step, 365 days).
 * - step from one day to under two: daily bars, 252 a year without weekend bars, 365 with.
 * - step from 28 to 31 days: monthly bars, 12 a year.
 * - any other step: 365 days ÷ the step.
 * Fewer than two bars (or no positive step): 252, the equity convention. `--periods-per-year`
 * overrides all of this. Each result says in words how it was found (summary, report).
 */

export interface Annualisation {
  readonly periodsPerYear: number;
  /** How periodsPerYear was found, for the summary and the report. */
  readonly basis: string;
}

const MINUTE = 60_000;
const HOUR = 3_600_000;
const DAY = 86_400_000;
const WEEK = 7 * DAY;

/** 0 = Sunday … 6 = Saturday (1970-01-01 was a Thursday), without allocating a Date. */
function utcWeekday(ms: number): number {
  return ((Math.floor(ms / DAY) % 7) + 11) % 7;
}

function stepText(step: number): string {
  if (step % HOUR === 0) return `${step / HOUR}-hour`;
  if (step % MINUTE === 0) return `${step / MINUTE}-minute`;
  if (step % 1000 === 0) return `${step / 1000}-second`;
  return `${step} ms`;
}

/** Bar opens fed one at a time, in time order, in O(1) memory; `result` applies the rules above. */
export class BarCadence {
  private count = 0;
  private first = NaN;
  private last = NaN;
  private minStep = Infinity;
  private weekend = false;
  private day = NaN;
  private inDay = 0;
  private maxPerDay = 0;

  observe(open: number): void {
    if (this.count++ === 0) this.first = open;
    else if (open > this.last) this.minStep = Math.min(this.minStep, open - this.last);
    this.last = open;
    const wd = utcWeekday(open);
    if (wd === 0 || wd === 6) this.weekend = true;
    const day = Math.floor(open / DAY);
    if (day !== this.day) {
      this.day = day;
      this.inDay = 0;
    }
    this.maxPerDay = Math.max(this.maxPerDay, ++this.inDay);
  }

  result(given?: number): Annualisation {
    if (given !== undefined) return { periodsPerYear: given, basis: 'as given' };
    const step = this.minStep;
    if (this.count < 2 || !(step > 0) || !Number.isFinite(step)) return { periodsPerYear: 252, basis: 'fewer than two bars: the equity convention' };
    const days = this.weekend ? 365 : 252;
    const week = this.weekend ? 'trading on weekends' : 'weekdays only';
    if (step < DAY) {
      const full = Math.round(DAY / step);
      if (this.last - this.first < WEEK) {
        return { periodsPerYear: full * 365, basis: `${stepText(step)} bars, under a week of data taken as 24/7 (${full} a day × 365 days)` };
      }
      const perDay = Math.min(full, this.maxPerDay);
      return { periodsPerYear: perDay * days, basis: `${stepText(step)} bars, ${perDay} a day × ${days} days (${week})` };
    }
    if (step < 2 * DAY) return { periodsPerYear: days, basis: `daily bars, ${week}` };
    if (step >= 28 * DAY && step <= 31 * DAY) return { periodsPerYear: 12, basis: 'monthly bars' };
    const ppy = (365 * DAY) / step;
    return { periodsPerYear: ppy, basis: `bars ${+(step / DAY).toFixed(3)} days apart: 365 days ÷ ${+(step / DAY).toFixed(3)}` };
  }
}

/** The annualisation of bars opening at `opens` (in time order); see the module comment. */
export function inferAnnualisation(opens: readonly number[]): Annualisation {
  const c = new BarCadence();
  for (const t of opens) c.observe(t);
  return c.result();
}
