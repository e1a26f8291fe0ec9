/**
 * An engine with the RiskGate and Compliance in it, for the end-to-end compliance tests: AAPL on
 * XNAS (calendar XNYS, extended hours on), IBM on NYSE (calendar XNYS, regular hours only), BTC on
 * BINANCE (no calendar: 24/7), each on a ScriptedVenue filling market orders at once; accounts
 * M-1 (MARGIN, 10,000 USD), C-1 (CASH, 100,000 USD), C-2 (CASH, 10,000 USD) and B-1 (CASH, 1,000,000 USDT).
 */
import { expect } from 'vitest';
import { TestClock } from '../../../src/engine/clock.ts';
import { Engine } from '../../../src/engine/engine.ts';
import type { JournalRecord } from '../../../src/engine/events.ts';
import { MemoryJournal } from '../../../src/engine/journal.ts';
import { Currencies } from '../../../src/model/currency.ts';
import { Money } from '../../../src/model/money.ts';
import type { OrderDenied } from '../../../src/model/orders/events.ts';
import type { OrderRequest } from '../../../src/model/orders/factory.ts';
import type { LimitsConfig } from '../../../src/risk/config/types.ts';
import { Compliance, type ComplianceConfig } from '../../../src/risk/compliance/index.ts';
import { RiskGate } from '../../../src/risk/gate/index.ts';
import { ScriptedVenue } from '../../../src/venues/scripted/scripted-venue.ts';
import { snapshot } from '../../engine/fixtures.ts';

export const AAPL = 'AAPL.XNAS';
export const IBM = 'IBM.NYSE';
export const BTC = 'BTCUSDT.BINANCE';

export const COMPLIANCE: ComplianceConfig = {
  venues: { XNAS: { calendar: 'XNYS', extendedHours: true }, NYSE: { calendar: 'XNYS' }, BINANCE: {} },
  pdt: {},
};

/** Generous size limits for everything, a reference price that never goes stale: only compliance can deny here. */
export const LIMITS: LimitsConfig = {
  default: { max_order_quantity: '1000', max_order_notional: '1000000', max_position_quantity: '10000', max_position_notional: '10000000' },
  instruments: {},
  accounts: {},
  firm: {},
  reference_price_max_age_ms: 1_000_000_000,
  price_collar_pct: 50,
  duplicate_window_ms: 0,
  throttles: { submit: {}, modify: {}, cancel: {}, hard_limit_multiple: 2 },
  restricted_instruments: [],
  self_trade_prevention: false,
};

export interface ComplianceHarness {
  readonly engine: Engine;
  readonly clock: TestClock;
  readonly journal: MemoryJournal;
  readonly venues: ScriptedVenue[];
  readonly compliance: Compliance;
  /** Sets the clock (forward only) and fresh reference prices there. */
  at(iso: string): void;
}

const PRICES: Record<string, string> = { [AAPL]: '200.00', [IBM]: '150.00', [BTC]: '60000.00' };

export async function complianceSetup(start = '2025-07-07T14:00:00Z', config: ComplianceConfig = COMPLIANCE): Promise<ComplianceHarness> {
  const clock = new TestClock(Date.parse(start));
  const journal = new MemoryJournal();
  const compliance = new Compliance(config);
  const engine = new Engine({ clock, journal, gate: new RiskGate(LIMITS, compliance) });
  const venues = ['XNAS', 'NYSE', 'BINANCE'].map((id) => new ScriptedVenue({ id, clock, marketPrice: (i) => PRICES[i] }));
  for (const v of venues) engine.addVenue(v);
  await engine.registerInstrument({ id: AAPL, kind: 'EQUITY', quote: Currencies.USD, tickSize: '0.01', lotSize: '1' });
  await engine.registerInstrument({ id: IBM, kind: 'EQUITY', quote: Currencies.USD, tickSize: '0.01', lotSize: '1' });
  await engine.registerInstrument({ id: BTC, kind: 'SPOT', base: Currencies.BTC, quote: Currencies.USDT, tickSize: '0.01', lotSize: '0.001' });
  await engine.openAccount({ id: 'M-1', type: 'MARGIN', balances: [Money.of('10000', Currencies.USD)] });
  await engine.openAccount({ id: 'C-1', type: 'CASH', balances: [Money.of('100000', Currencies.USD)] });
  await engine.openAccount({ id: 'C-2', type: 'CASH', balances: [Money.of('10000', Currencies.USD)] });
  await engine.openAccount({ id: 'B-1', type: 'CASH', balances: [Money.of('1000000', Currencies.USDT)] });
  const h: ComplianceHarness = {
    engine,
    clock,
    journal,
    venues,
    compliance,
    at(iso: string) {
      clock.set(Date.parse(iso));
      for (const [id, px] of Object.entries(PRICES)) engine.updateMarket(id, { last: engine.instrument(id).price(px) });
    },
  };
  h.at(start);
  return h;
}

export const order = (id: string, account: string, instrumentId: string, side: 'BUY' | 'SELL', quantity: string, extra: Partial<OrderRequest> = {}): OrderRequest => ({
  clientOrderId: id,
  accountId: account,
  strategyId: 's1',
  instrumentId,
  side,
  type: 'MARKET',
  quantity,
  ...extra,
});

export const venueCalls = (h: ComplianceHarness): string[] => h.venues.flatMap((v) => v.calls.map((c) => `${v.id} ${c.kind} ${c.clientOrderId}`));

/**
 * Submits and expects a denial with `code`, and nothing else changed: the journal grew by the
 * order's initialization and denial only, no venue saw a call, orders, positions and balances
 * are as they were.
 */
export async function expectDenied(h: ComplianceHarness, req: OrderRequest, code: string): Promise<OrderDenied> {
  const before = { state: snapshot(h.engine), calls: venueCalls(h), seq: h.journal.lastSeq() };
  const r = await h.engine.submitOrder(req);
  expect(r.denied.map((d) => d.code)).toEqual([code]);
  const added: JournalRecord[] = h.journal.all().filter((x) => x.seq > before.seq);
  expect(added.map((x) => x.event.kind).filter((k) => k !== 'OrderInitialized')).toEqual(['OrderDenied']);
  const denied = added.at(-1)!.event as OrderDenied;
  expect(denied).toMatchObject({ code, clientOrderId: req.clientOrderId });
  expect(venueCalls(h)).toEqual(before.calls);
  const after = snapshot(h.engine);
  // The denied order is journaled as such; nothing else moved.
  expect({ ...after, lastSeq: 0, orders: after.orders.filter((o) => o.id !== req.clientOrderId), openOrders: after.openOrders }).toEqual({ ...before.state, lastSeq: 0 });
  return denied;
}

export async function expectAllowed(h: ComplianceHarness, req: OrderRequest): Promise<void> {
  const r = await h.engine.submitOrder(req);
  expect(r.denied).toEqual([]);
  expect(venueCalls(h).filter((c) => c.endsWith(` submit ${req.clientOrderId}`))).toHaveLength(1);
}
