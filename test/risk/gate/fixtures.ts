/**
 * Fixtures for the risk gate tests: an engine from test/engine/fixtures.ts (BTC tick 0.05, lot
 * 0.005, taker 10 bps; ACC-1 CASH 1,000,000 USDT + 10 BTC; ACC-2 CASH 50,000 USDT) with a RiskGate
 * in it and a fresh BTC reference price of 24,000.
 */
import { expect } from 'vitest';
import type { OrderDenied } from '../../../src/model/orders/events.ts';
import type { OrderRequest } from '../../../src/model/orders/factory.ts';
import type { LimitsConfig } from '../../../src/risk/config/types.ts';
import { RiskGate } from '../../../src/risk/gate/index.ts';
import { BTC, ETH, setup, type Harness, type SetupOptions } from '../../engine/fixtures.ts';

export { BTC, ETH, limit, marketBuy, T0 } from '../../engine/fixtures.ts';

export interface Overrides extends Partial<Omit<LimitsConfig, 'throttles'>> {
  readonly throttles?: Partial<LimitsConfig['throttles']>;
}

/** BTC: order ≤ 5 BTC and ≤ 150,000 USDT, position ≤ 10 BTC and ≤ 300,000 USDT; collar 5%; no other limits. */
export function limitsConfig(over: Overrides = {}): LimitsConfig {
  const { throttles, ...rest } = over;
  return {
    instruments: { [BTC]: { max_order_quantity: '5', max_order_notional: '150000', max_position_quantity: '10', max_position_notional: '300000' } },
    accounts: {},
    firm: {},
    reference_price_max_age_ms: 5_000,
    price_collar_pct: 5,
    duplicate_window_ms: 0,
    restricted_instruments: [],
    self_trade_prevention: false,
    ...rest,
    throttles: { submit: {}, modify: {}, cancel: {}, hard_limit_multiple: 3, ...throttles },
  };
}

export type GateHarness = Harness & { gate: RiskGate; ref(instrument: string, last: string): void };

export async function gateSetup(over: Overrides = {}, opts: SetupOptions = {}): Promise<GateHarness> {
  const gate = new RiskGate(limitsConfig(over));
  const h = await setup({ ...opts, gate });
  const ref = (instrument: string, last: string): void => h.engine.updateMarket(instrument, { last: h.engine.instrument(instrument).price(last) });
  ref(BTC, '24000');
  return { ...h, gate, ref };
}

/** Submits and expects a denial with `code`: journaled as OrderDenied, and the venue never saw it. */
export async function expectDenied(h: GateHarness, req: OrderRequest, code: string): Promise<OrderDenied> {
  const r = await h.engine.submitOrder(req);
  expect(r.denied.map((d) => d.code)).toEqual([code]);
  const e = h.journal.all().at(-1)?.event;
  expect(e?.kind).toBe('OrderDenied');
  const denied = e as OrderDenied;
  expect(denied.code).toBe(code);
  expect(denied.clientOrderId).toBe(req.clientOrderId);
  expect(denied.context).toHaveProperty('limit');
  expect(denied.context).toHaveProperty('actual');
  expect(denied.reason.length).toBeGreaterThan(10);
  expect(h.venue.calls.filter((c) => c.clientOrderId === req.clientOrderId)).toEqual([]);
  return denied;
}

/** Submits and expects it to pass the gate and reach the venue. */
export async function expectAllowed(h: GateHarness, req: OrderRequest): Promise<void> {
  const r = await h.engine.submitOrder(req);
  expect(r.denied).toEqual([]);
  expect(h.venue.calls.filter((c) => c.clientOrderId === req.clientOrderId && c.kind === 'submit')).toHaveLength(1);
}

export const eth = ETH;
