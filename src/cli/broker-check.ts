import { WallClock } from '../engine/clock.ts';
import { RealTimer } from '../execution/timer.ts';
import { instrumentId, venueOf } from '../model/identifiers.ts';
import { brokerSymbolOf } from '../node/broker-setup.ts';
import { createBroker, type BrokerVenueConfig } from '../node/brokers.ts';
import type { NodeConfig } from '../node/config/index.ts';

/**
 * One broker as `warden venues check` shows it: logs in, probes it, describes each configured
 * instrument as the node would register it (exact, or why not), its balances, positions and open
 * orders. Places, modifies and cancels nothing.
 */
export async function checkBroker(name: string, v: BrokerVenueConfig, config: NodeConfig): Promise<{ ok: boolean; lines: string[] }> {
  const lines: string[] = [];
  const alerts: string[] = [];
  const account = config.accounts.find((a) => a.venue === name)?.id ?? 'CHECK';
  const adapter = createBroker(name, v, { name, accountId: account, clock: new WallClock(), timer: new RealTimer(), onAlert: (code, message) => alerts.push(`${code}: ${message}`) });
  try {
    await adapter.open();
    const p = await adapter.probe();
    const native = Object.entries(adapter.capabilities).filter(([, on]) => on).map(([k]) => k);
    lines.push(`${name}: ${v.type}, connected, round trip ${p.latencyMs} ms, ${p.detail}`);
    lines.push(`  native      ${native.length > 0 ? native.join(', ') : 'market and limit only'}; the rest is emulated`);
    for (const c of config.instruments.filter((i) => venueOf(instrumentId(i.id)) === name)) {
      const symbol = brokerSymbolOf(c);
      try {
        const s = await adapter.instrumentSpec(c.id, symbol);
        lines.push(`  instrument  ${c.id} = ${symbol}: ${s.kind}, tick ${String(s.tickSize)}, lot ${String(s.lotSize)}, min qty ${s.minQuantity !== undefined ? String(s.minQuantity) : '-'}, ${s.quote.code}`);
      } catch (e) {
        lines.push(`  instrument  ${c.id} = ${symbol}: REFUSED ${(e as Error).message}`);
      }
    }
    const q = adapter.queries;
    const balances = q.balances ? await q.balances() : [];
    lines.push(`  balances    ${balances.length > 0 ? balances.map((b) => `${b.currency} ${b.total}`).join(', ') : 'none'}`);
    const positions = await q.positions();
    lines.push(`  positions   ${positions.length > 0 ? positions.map((x) => `${x.instrumentId} ${x.side} ${x.quantity.toString()}`).join(', ') : 'none'}`);
    const open = await q.openOrders();
    lines.push(`  open orders ${open.length > 0 ? open.map((o) => `${o.spec.side} ${o.spec.quantity.toString()} ${o.spec.instrumentId} (${o.clientOrderId})`).join('; ') : 'none'}`);
    for (const a of alerts) lines.push(`  alert       ${a}`);
    return { ok: true, lines };
  } catch (e) {
    return { ok: false, lines: [...lines, `${name}: FAILED ${e instanceof Error ? e.message : String(e)}`, ...alerts.map((a) => `  alert       ${a}`)] };
  } finally {
    await adapter.close().catch(() => undefined);
  }
}
