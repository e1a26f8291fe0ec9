/**
 * A real engine (ScriptedVenue on a TestClock, fixtures from test/engine) with RiskControl running
 * breakers. ETH (no fees, tick 0.01, lot 0.001) is the instrument traded: the ScriptedVenue fills
 * market orders at `market.last`. ACC-1 starts with 1,000,000 USDT (and 10 BTC), ACC-2 with 50,000.
 */
import { RiskControl } from '../../../src/risk/control/risk-control.ts';
import type { JournalRecord } from '../../../src/engine/events.ts';
import { Currencies } from '../../../src/model/currency.ts';
import { accountId, strategyId } from '../../../src/model/identifiers.ts';
import type { OrderRequest } from '../../../src/model/orders/factory.ts';
import { createBreakers, type BreakerOptions } from '../../../src/risk/breakers/index.ts';
import type { Breaker } from '../../../src/risk/breakers/breaker.ts';
import type { BreakerCommon, BreakersConfig } from '../../../src/risk/config/types.ts';
import type { BreakerReset, BreakerTripped, TradingState } from '../../../src/engine/risk-state/events.ts';
import { ETH, setup, settle, type Harness, type SetupOptions } from '../../engine/fixtures.ts';

export const MINUTE = 60_000;

export function common(over: Partial<BreakerCommon> = {}): BreakerCommon {
  return {
    enabled: true,
    action: 'HALT',
    cancel_orders: true,
    flatten: false,
    cooldown_minutes: 0,
    auto_reset_after_minutes: null,
    require_manual_reset: false,
    scope: 'ACCOUNT',
    ...over,
  };
}

export interface Rig extends Harness {
  readonly control: RiskControl;
  readonly monitors: Breaker[];
  /** Moves ETH's mark (and the venue's fill price) and lets the breakers act. */
  mark(px: string): Promise<void>;
  /** A market order of ETH, filled at the current price; waits for the breakers. */
  trade(id: string, side: 'BUY' | 'SELL', qty: string, extra?: Partial<OrderRequest>): Promise<void>;
  /** A resting limit buy of ETH at 1000.00. */
  rest(id: string, extra?: Partial<OrderRequest>): Promise<void>;
  trips(): BreakerTripped[];
  resets(): BreakerReset[];
  state(account?: string, strategy?: string): TradingState;
  alertCodes(): string[];
  /** Advances the clock and runs RiskControl.tick(). */
  tick(ms: number): Promise<void>;
}

export async function rig(config: BreakersConfig, opts: { setup?: SetupOptions; breakers?: BreakerOptions } = {}): Promise<Rig> {
  const h = await setup(opts.setup);
  h.market.last = '2000.00';
  const monitors = createBreakers(config, { currency: Currencies.USDT, ...opts.breakers });
  const control = new RiskControl(h.engine, monitors);
  await control.start();
  return withRig(h, control, monitors);
}

export function withRig(h: Harness, control: RiskControl, monitors: Breaker[]): Rig {
  const events = (): JournalRecord['event'][] => h.journal.all().map((r) => r.event);
  const after = async (): Promise<void> => {
    await settle();
    await control.idle();
    await settle();
    await control.idle();
  };
  return {
    ...h,
    control,
    monitors,
    async mark(px) {
      h.market.last = px;
      h.engine.updateMarket(ETH, { last: h.engine.instrument(ETH).price(px) });
      await after();
    },
    async trade(id, side, qty, extra = {}) {
      await h.engine.submitOrder({ clientOrderId: id, accountId: 'ACC-1', strategyId: 's1', instrumentId: ETH, side, type: 'MARKET', quantity: qty, ...extra });
      await after();
    },
    async rest(id, extra = {}) {
      await h.engine.submitOrder({ clientOrderId: id, accountId: 'ACC-1', strategyId: 's1', instrumentId: ETH, side: 'BUY', type: 'LIMIT', quantity: '1', price: '1000.00', ...extra });
      await after();
    },
    trips: () => events().filter((e): e is BreakerTripped => e.kind === 'BreakerTripped'),
    resets: () => events().filter((e): e is BreakerReset => e.kind === 'BreakerReset'),
    state: (account = 'ACC-1', strategy = 's1') => h.engine.risk.effectiveState(accountId(account), strategyId(strategy)),
    alertCodes: () => h.alerts.map((a) => a.code),
    async tick(ms) {
      h.clock.advance(ms);
      await control.tick();
      await after();
    },
  };
}
