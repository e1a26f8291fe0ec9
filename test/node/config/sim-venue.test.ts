import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { TestClock } from '../../../src/engine/clock.ts';
import { ConfigError, faultOptions, parseNodeConfig, simExchangeOptions, type SimVenueConfig } from '../../../src/node/config/index.ts';

function venue(sim: Record<string, unknown>): SimVenueConfig {
  const doc = { node: { id: 'n', mode: 'backtest', journal: { memory: true } }, venues: { SIM: { type: 'sim', ...sim } } };
  const v = parseNodeConfig(stringify(doc), { file: 'w.yaml', env: {}, baseDir: '/', checkFiles: false }).config.venues.SIM!;
  if (v.type !== 'sim') throw new Error('expected a sim venue');
  return v;
}

describe('a sim venue in the config, as the node builds it', () => {
  it('fault rules in snake_case become the fault-injecting venue options ("always" is Infinity)', () => {
    const v = venue({
      faults: {
        queries_while_down: true,
        calls: [{ call: 'SUBMIT', nth: 3, times: 'always', fault: { kind: 'TIMEOUT', placed: true, drop_reports: true } }, { call: 'CANCEL', fault: { kind: 'RATE_LIMIT', retry_after_ms: 500 } }],
        reports: [{ fault: 'REORDER', report_kind: ['OrderFilled'], order: 'SHUFFLE', seed: 7, flush_after: 2 }],
        queries: [{ code: 'VENUE_NETWORK', query: 'openOrders', times: 2 }],
      },
    });
    expect(faultOptions(v)).toEqual({
      queriesWhileDown: true,
      calls: [
        { call: 'SUBMIT', nth: 3, times: Infinity, fault: { kind: 'TIMEOUT', placed: true, dropReports: true } },
        { call: 'CANCEL', fault: { kind: 'RATE_LIMIT', retryAfterMs: 500 } },
      ],
      reports: [{ fault: 'REORDER', reportKind: ['OrderFilled'], order: 'SHUFFLE', seed: 7, flushAfter: 2 }],
      queryFaults: [{ code: 'VENUE_NETWORK', query: 'openOrders', times: 2 }],
    });
    expect(faultOptions(venue({}))).toBeUndefined();
  });

  it('models by name become the exchange options', () => {
    const o = simExchangeOptions('SIM', venue({ slippage: { model: 'fixed_bps', bps: 5 }, latency: { model: 'constant', submit_ms: 20 }, stp: 'NONE', max_bar_volume_share: 0.1 }), new TestClock());
    expect(o).toMatchObject({ id: 'SIM', stp: 'NONE', maxBarVolumeShare: 0.1 });
    expect(o.slippage).toBeDefined();
    expect(o.latency).toBeDefined();
    expect(o.fees).toBeUndefined();
  });

  it('a limit-fill model the exchange cannot run is refused at the config, with its path', () => {
    try {
      venue({ limit_fill: { model: 'queue_position' } });
      expect.unreachable('queue_position should be refused');
    } catch (e) {
      expect(e).toBeInstanceOf(ConfigError);
      expect((e as ConfigError).message).toBe(
        'w.yaml: venues.SIM.limit_fill.model: queue_position is not supported by the simulated exchange yet; use fill_at_touch or fill_on_trade_through',
      );
    }
  });
});
