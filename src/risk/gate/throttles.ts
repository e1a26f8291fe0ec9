import type { LimitsConfig, ThrottleRates } from '../config/types.ts';
import { beyondHardLimit, breaches, RateCounter, type RateBreach } from './rate.ts';

export type MessageKind = 'submit' | 'modify' | 'cancel';

interface Counters {
  readonly submit: RateCounter;
  readonly modify: RateCounter;
  readonly cancel: RateCounter;
}

/**
 * Message counts per strategy and per account. Submits count every attempt (OrderInitialized,
 * denied ones too: a runaway loop that keeps being denied must still reach the hard limit),
 * modifies count every request (sent as OrderPendingUpdate or denied by the gate), cancels count
 * every OrderPendingCancel. Cancels are never denied (a cancel must always be possible); their
 * rate is kept for `hardLimitBreached` and `rate`.
 */
export class Throttles {
  private readonly strategies = new Map<string, Counters>();
  private readonly accounts = new Map<string, Counters>();
  readonly breach: RateBreach = { window: 'second', limit: 0, actual: 0, hard: false };
  /** Which scope the last breach was in. */
  breachScope: 'strategy' | 'account' = 'strategy';

  constructor(private readonly config: LimitsConfig['throttles']) {}

  record(kind: MessageKind, strategyId: string, accountId: string, ts: number): void {
    counters(this.strategies, strategyId)[kind].add(ts);
    counters(this.accounts, accountId)[kind].add(ts);
  }

  /**
   * Whether one more `kind` message breaks a throttle, counting `pendingStrategy` / `pendingAccount`
   * messages of the strategy / account not recorded yet; the details are in `breach`.
   */
  exceeded(kind: 'submit' | 'modify', strategyId: string, accountId: string, now: number, pendingStrategy = 0, pendingAccount = 0): boolean {
    const rates: ThrottleRates = this.config[kind];
    const m = this.config.hard_limit_multiple;
    if (breaches(this.strategies.get(strategyId)?.[kind], rates, now, m, this.breach, pendingStrategy)) {
      this.breachScope = 'strategy';
      return true;
    }
    if (breaches(this.accounts.get(accountId)?.[kind], rates, now, m, this.breach, pendingAccount)) {
      this.breachScope = 'account';
      return true;
    }
    return false;
  }

  /** Whether the strategy's submits, modifies or cancels are beyond hard_limit_multiple × throttle. */
  hardLimitBreached(strategyId: string, now: number): boolean {
    const c = this.strategies.get(strategyId);
    if (c === undefined) return false;
    const m = this.config.hard_limit_multiple;
    return (
      beyondHardLimit(c.submit, this.config.submit, now, m) ||
      beyondHardLimit(c.modify, this.config.modify, now, m) ||
      beyondHardLimit(c.cancel, this.config.cancel, now, m)
    );
  }

  /** Messages of a kind by a strategy in the current second, minute and hour. */
  rate(kind: MessageKind, strategyId: string, now: number): { second: number; minute: number; hour: number } {
    const c = this.strategies.get(strategyId)?.[kind];
    if (c === undefined) return { second: 0, minute: 0, hour: 0 };
    return { second: c.perSecond(now), minute: c.perMinute(now), hour: c.perHour(now) };
  }
}

function counters(map: Map<string, Counters>, key: string): Counters {
  let c = map.get(key);
  if (c === undefined) map.set(key, (c = { submit: new RateCounter(), modify: new RateCounter(), cancel: new RateCounter() }));
  return c;
}
