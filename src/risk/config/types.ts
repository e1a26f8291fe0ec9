/**
 * The risk configuration as the program uses it, after a file (risk.example.yaml) is read and
 * validated by ./load.ts. Money and quantities stay decimal text (exact); percentages and counts
 * are numbers. Key names follow the file (snake_case), as the specification names them.
 */

export interface InstrumentLimits {
  readonly max_order_quantity?: string;
  readonly max_order_notional?: string;
  readonly max_position_quantity?: string;
  readonly max_position_notional?: string;
  /** Limit/stop prices must be within this % of a fresh reference price… */
  readonly price_collar_pct?: number;
  /** …or within this many ticks (when both are set, the tighter wins). */
  readonly price_collar_ticks?: number;
  readonly max_open_orders?: number;
}

export interface AccountLimits {
  readonly max_gross_exposure?: string;
  readonly max_net_exposure?: string;
  /** Gross exposure / equity. */
  readonly max_leverage?: number;
  /** One instrument's exposure as % of equity. */
  readonly max_concentration_pct?: number;
  readonly max_open_orders?: number;
}

export interface ThrottleRates {
  readonly per_second?: number;
  readonly per_minute?: number;
  readonly per_hour?: number;
}

export interface LimitsConfig {
  /** Limits for instruments without their own entry; without it an unlisted instrument is denied (fail closed). */
  readonly default?: InstrumentLimits;
  readonly instruments: Readonly<Record<string, InstrumentLimits>>;
  readonly accounts: Readonly<Record<string, AccountLimits>>;
  readonly firm: { readonly max_gross_exposure?: string; readonly max_net_exposure?: string };
  /** A reference price older than this denies priced orders (PRICE_REFERENCE_STALE). */
  readonly reference_price_max_age_ms: number;
  /** The collar for instruments that set none. */
  readonly price_collar_pct: number;
  /** An identical order (side, instrument, quantity, price) within this window is denied. */
  readonly duplicate_window_ms: number;
  readonly throttles: {
    readonly submit: ThrottleRates;
    readonly modify: ThrottleRates;
    readonly cancel: ThrottleRates;
    /** Above this multiple of any throttle the strategy is halted, not just denied (FAULTS 10). */
    readonly hard_limit_multiple: number;
  };
  readonly restricted_instruments: readonly string[];
  readonly self_trade_prevention: boolean;
}

export type BreakerActionName = 'HALT' | 'REDUCE';

/** Settings every breaker has. */
export interface BreakerCommon {
  readonly enabled: boolean;
  readonly action: BreakerActionName;
  readonly cancel_orders: boolean;
  readonly flatten: boolean;
  /** Minutes after a trip before it may reset (auto or manual). */
  readonly cooldown_minutes: number;
  /** Reset by itself this many minutes after the trip; null: never by itself. */
  readonly auto_reset_after_minutes: number | null;
  /** Only an operator resets it (overrides auto_reset_after_minutes). */
  readonly require_manual_reset: boolean;
  /** Scope the breaker watches: the whole firm, each account, or each strategy. */
  readonly scope: 'FIRM' | 'ACCOUNT' | 'STRATEGY';
}

export interface BreakersConfig {
  readonly daily_loss?: BreakerCommon & { readonly max_daily_loss_pct?: number; readonly max_daily_loss?: string };
  readonly drawdown?: BreakerCommon & { readonly max_drawdown_pct: number };
  readonly consecutive_losses?: BreakerCommon & { readonly max_consecutive_losses: number };
  readonly order_rate?: BreakerCommon & { readonly max_orders_per_minute?: number; readonly max_orders_per_hour?: number };
  readonly errors?: BreakerCommon & { readonly max_consecutive_errors: number };
  readonly position_loss?: BreakerCommon & { readonly max_position_loss_pct: number };
  readonly portfolio_loss?: BreakerCommon & { readonly max_portfolio_loss: string };
  readonly volatility?: BreakerCommon & { readonly lookback_bars: number; readonly max_return_sigma?: number; readonly max_range_atr?: number };
  readonly leverage?: BreakerCommon & { readonly max_leverage: number };
  readonly concentration?: BreakerCommon & { readonly max_concentration_pct: number };
  readonly repeated_executions?: BreakerCommon & { readonly max_fills: number; readonly window_seconds: number };
}

export interface RiskConfig {
  readonly version: 1;
  /** The trading day: starts at `boundary` local time in `timezone` (IANA), for daily loss. */
  readonly day: { readonly timezone: string; readonly boundary: string };
  readonly limits: LimitsConfig;
  readonly breakers: BreakersConfig;
  readonly alerts: { readonly webhook_url?: string; readonly near_miss_pct: number };
}
