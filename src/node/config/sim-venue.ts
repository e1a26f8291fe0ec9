import type { Clock } from '../../engine/clock.ts';
import { exchangeModels, type ExchangeModelConfig } from '../../venues/sim/exchange/configured-models.ts';
import type { SimulatedExchangeOptions } from '../../venues/sim/exchange/simulated-exchange.ts';
import type { FaultInjectingVenueOptions } from '../../venues/sim/faults/fault-injecting-venue.ts';
import type { CallFault, CallFaultRule, QueryFaultRule, ReportFaultRule } from '../../venues/sim/faults/rules.ts';
import type { SimVenueConfig } from './venues.ts';

type Faults = NonNullable<SimVenueConfig['faults']>;

/** The simulated exchange's options for a `sim` venue (everything but the shared account ledger, which the node owns). */
export function simExchangeOptions(name: string, v: SimVenueConfig, clock: Clock): SimulatedExchangeOptions {
  const models: ExchangeModelConfig = {
    ...(v.fees ? { fees: v.fees } : {}),
    ...(v.slippage ? { slippage: v.slippage } : {}),
    ...(v.latency ? { latency: v.latency } : {}),
    ...(v.limit_fill ? { limitFill: v.limit_fill } : {}),
  };
  return {
    id: name,
    clock,
    ...exchangeModels(models, clock),
    ...(v.intrabar ? { intrabar: v.intrabar } : {}),
    ...(v.stp ? { stp: v.stp } : {}),
    ...(v.max_bar_volume_share !== undefined ? { maxBarVolumeShare: v.max_bar_volume_share } : {}),
    ...(v.native_stops !== undefined ? { nativeStops: v.native_stops } : {}),
  };
}

const count = (t: number | 'always' | undefined): number | undefined => (t === 'always' ? Infinity : t);

function callFault(f: Faults['calls'][number]['fault']): CallFault {
  switch (f.kind) {
    case 'TIMEOUT':
    case 'SERVER_ERROR':
    case 'NETWORK_RESET':
      return f.placed ? { kind: f.kind, placed: true, ...(f.drop_reports !== undefined ? { dropReports: f.drop_reports } : {}) } : { kind: f.kind, placed: false };
    case 'REJECT':
      return { kind: 'REJECT', ...(f.reason !== undefined ? { reason: f.reason } : {}) };
    case 'RATE_LIMIT':
      return { kind: 'RATE_LIMIT', ...(f.retry_after_ms !== undefined ? { retryAfterMs: f.retry_after_ms } : {}) };
    case 'DELAY':
      return { kind: 'DELAY' };
  }
}

/** The fault-injecting wrapper's options for a `sim` venue's `faults` (undefined: no wrapper). */
export function faultOptions(v: SimVenueConfig): FaultInjectingVenueOptions | undefined {
  const f = v.faults;
  if (!f) return undefined;
  const calls: CallFaultRule[] = f.calls.map((r) => ({
    call: r.call,
    fault: callFault(r.fault),
    ...(r.nth !== undefined ? { nth: r.nth } : {}),
    ...(r.client_order_id !== undefined ? { clientOrderId: r.client_order_id } : {}),
    ...(r.times !== undefined ? { times: count(r.times) } : {}),
  }));
  const reports: ReportFaultRule[] = f.reports.map((r) => ({
    fault: r.fault,
    ...(r.report_kind !== undefined ? { reportKind: r.report_kind } : {}),
    ...(r.client_order_id !== undefined ? { clientOrderId: r.client_order_id } : {}),
    ...(r.times !== undefined ? { times: count(r.times) } : {}),
    ...(r.order !== undefined ? { order: r.order } : {}),
    ...(r.seed !== undefined ? { seed: r.seed } : {}),
    ...(r.flush_after !== undefined ? { flushAfter: r.flush_after } : {}),
  }));
  const queryFaults: QueryFaultRule[] = f.queries.map((r) => ({ code: r.code, ...(r.query !== undefined ? { query: r.query } : {}), ...(r.times !== undefined ? { times: count(r.times) } : {}) }));
  return { calls, reports, queryFaults, ...(f.queries_while_down !== undefined ? { queriesWhileDown: f.queries_while_down } : {}) };
}
