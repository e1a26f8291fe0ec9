import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { TradingNode } from '../node/trading-node.ts';

/**
 * The server's Prometheus metrics, in a Registry of its own (never the global one, so two servers
 * in one process, or tests, never share figures). Engine figures are counted from its bus:
 * O(1) per event, nothing awaited.
 */
export class ApiMetrics {
  readonly registry = new Registry();
  readonly orders = new Counter({ name: 'warden_orders_total', help: 'Orders initialized', labelNames: ['origin'] as const, registers: [this.registry] });
  readonly denials = new Counter({ name: 'warden_denials_total', help: 'Orders denied, by denial code', labelNames: ['code'] as const, registers: [this.registry] });
  readonly fills = new Counter({ name: 'warden_fills_total', help: 'Fills', registers: [this.registry] });
  readonly ackLatency = new Histogram({
    name: 'warden_submit_ack_seconds',
    help: 'Wall time from an order initialized to accepted by its venue',
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [this.registry],
  });
  readonly http = new Histogram({
    name: 'warden_http_request_seconds',
    help: 'API request duration',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1],
    registers: [this.registry],
  });
  readonly wsClients = new Gauge({ name: 'warden_ws_clients', help: 'Connected WebSocket clients', registers: [this.registry] });
  readonly wsFanoutClients = new Gauge({ name: 'warden_ws_fanout_clients', help: 'WebSocket clients served by the stream fan-out process', registers: [this.registry] });
  readonly wsFanoutCrashes = new Counter({ name: 'warden_ws_fanout_crashes_total', help: 'Times the stream fan-out process ended unexpectedly (its clients resume)', registers: [this.registry] });
  readonly wsDropped = new Counter({ name: 'warden_ws_slow_consumers_total', help: 'WebSocket clients closed as slow consumers (4008)', registers: [this.registry] });
  private readonly pending = new Map<string, number>();
  private readonly off: () => void;

  constructor(node: TradingNode, wall: () => number = () => performance.now()) {
    const breakers = new Gauge({
      name: 'warden_breaker_open',
      help: 'Circuit breakers: 1 open (tripped), 0 closed',
      labelNames: ['breaker', 'scope'] as const,
      registers: [this.registry],
      collect() {
        this.reset();
        for (const b of node.risk?.control.status().breakers ?? []) this.set({ breaker: b.breaker, scope: b.scope }, b.state === 'OPEN' ? 1 : 0);
      },
    });
    void breakers;
    new Gauge({
      name: 'warden_kill_switch_engaged',
      help: '1 while the kill switch is engaged',
      registers: [this.registry],
      collect() {
        this.set(node.engine.risk.killSwitch ? 1 : 0);
      },
    });
    this.off = node.engine.bus.subscribe('order', (e) => {
      switch (e.kind) {
        case 'OrderInitialized':
          this.orders.inc({ origin: (e.origin ?? 'SYSTEM').split(':')[0] });
          if (this.pending.size < 10_000) this.pending.set(e.clientOrderId, wall());
          break;
        case 'OrderAccepted': {
          const t0 = this.pending.get(e.clientOrderId);
          if (t0 !== undefined) {
            this.ackLatency.observe((wall() - t0) / 1000);
            this.pending.delete(e.clientOrderId);
          }
          break;
        }
        case 'OrderDenied':
          this.denials.inc({ code: e.code });
          this.pending.delete(e.clientOrderId);
          break;
        case 'OrderFilled':
          this.fills.inc();
          break;
        case 'OrderRejected':
        case 'OrderCanceled':
        case 'OrderExpired':
          this.pending.delete(e.clientOrderId);
          break;
        default:
          break;
      }
    });
  }

  close(): void {
    this.off();
  }
}
