/**
 * What every venue test harness wires in front of its adapter, as a live node does: a LIVE
 * executor with quick test timings given to the engine, the connection guard, and the engine's
 * order events and alerts recorded.
 */
import { expect } from 'vitest';
import type { Clock } from '../../src/engine/clock.ts';
import type { Engine } from '../../src/engine/engine.ts';
import type { EngineAlert } from '../../src/engine/topics.ts';
import type { Venue } from '../../src/engine/venue.ts';
import { guardConnection } from '../../src/execution/connection-guard.ts';
import { Executor } from '../../src/execution/executor.ts';
import type { Timer } from '../../src/execution/timer.ts';
import type { OrderEvent } from '../../src/model/orders/events.ts';
import { until } from './ccxt/harness.ts';

/** Backoff and query rounds short enough for tests on a loaded machine. */
export const TEST_RETRY = { baseDelayMs: 20, maxDelayMs: 200, queryRoundDelayMs: 200, notFoundGraceMs: 100 };

export interface LiveWiring {
  readonly executor: Executor;
  readonly events: OrderEvent[];
  readonly alerts: EngineAlert[];
  /** Closes the adapter, then waits for the executor's calls to end. */
  close(): Promise<void>;
}

/** The adapter behind a LIVE executor given to the engine and guarded; the engine's order events and alerts recorded from now. */
export function behindLiveExecutor(engine: Engine, adapter: Venue & { close(): Promise<void> }, o: { readonly clock: Clock; readonly timer: Timer; readonly retry?: typeof TEST_RETRY }): LiveWiring {
  const executor = new Executor(adapter, { mode: 'LIVE', clock: o.clock, timer: o.timer, callTimeoutMs: 3_000, reportTimeoutMs: 1_000, retry: o.retry ?? TEST_RETRY });
  const events: OrderEvent[] = [];
  const alerts: EngineAlert[] = [];
  engine.bus.subscribe('order', (e) => events.push(e));
  engine.bus.subscribe('alert', (a) => alerts.push(a));
  engine.addVenue(executor);
  guardConnection(engine, executor);
  return {
    executor,
    events,
    alerts,
    close: async () => {
      await adapter.close();
      await executor.idle();
    },
  };
}

/** Waits until the engine has order `id` in `status`, failing with what it is after `ms`. */
export async function orderReaches(engine: Engine, id: string, status: string, ms = 5_000): Promise<void> {
  await until(() => engine.order(id)?.status === status, `${id} ${status} (is ${String(engine.order(id)?.status)})`, ms);
  expect(engine.order(id)!.status).toBe(status);
}
