import { useEffect, useState } from 'preact/hooks';
import { api, errorText } from '../api/client.ts';
import type { CurrencyFigures, FirmNode, FirmOrder, FirmPosition, FirmRisk } from '../api/firm.ts';
import { Card, ErrorLine, fmtTime, signClass } from '../components/widgets.tsx';

interface FirmData {
  readonly nodes: readonly FirmNode[];
  readonly orders: readonly FirmOrder[];
  readonly positions: readonly FirmPosition[];
  readonly risk: FirmRisk;
}

const REFRESH_MS = 2_000;

/** The firm view: every node's state read from the firm's event stream, refreshed every 2 s. */
export function Firm() {
  const [data, setData] = useState<FirmData | undefined>();
  const [error, setError] = useState<string | undefined>();
  useEffect(() => {
    let live = true;
    const load = async (): Promise<void> => {
      try {
        const [nodes, orders, positions, risk] = await Promise.all([
          api<FirmNode[]>('GET', '/api/firm/nodes'),
          api<FirmOrder[]>('GET', '/api/firm/orders?status=open'),
          api<FirmPosition[]>('GET', '/api/firm/positions'),
          api<FirmRisk>('GET', '/api/firm/risk'),
        ]);
        if (live) {
          setData({ nodes, orders, positions, risk });
          setError(undefined);
        }
      } catch (e) {
        if (live) setError(errorText(e));
      }
    };
    void load();
    const t = setInterval(() => void load(), REFRESH_MS);
    return () => {
      live = false;
      clearInterval(t);
    };
  }, []);
  return (
    <>
      <ErrorLine error={error} testId="firm-error" />
      {data === undefined ? <p class="loading">Loading…</p> : <FirmTables data={data} />}
    </>
  );
}

function FirmTables({ data }: { readonly data: FirmData }) {
  return (
    <>
      <NodesCard nodes={data.nodes} />
      <RiskCard risk={data.risk} />
      <PositionsCard positions={data.positions} />
      <OrdersCard orders={data.orders} />
    </>
  );
}

function NodesCard({ nodes }: { readonly nodes: readonly FirmNode[] }) {
  return (
    <Card title="Nodes" testId="firm-nodes">
      {nodes.length === 0 ? (
        <p class="empty">No node has published yet.</p>
      ) : (
        <table>
          <thead>
            <tr><th>Node</th><th class="num">Seq</th><th>Last event</th><th class="num">Orders</th><th class="num">Open</th><th class="num">Positions</th><th>State</th></tr>
          </thead>
          <tbody>
            {nodes.map((n) => (
              <tr key={n.node} data-testid={`firm-node-${n.node}`}>
                <td>{n.node}</td>
                <td class="num">{n.appliedSeq}{n.waiting > 0 ? ` (+${n.waiting} waiting)` : ''}</td>
                <td>{fmtTime(n.lastTs)}</td>
                <td class="num">{n.orders}</td>
                <td class="num">{n.openOrders}</td>
                <td class="num">{n.openPositions}</td>
                <td>{n.killSwitch ? 'KILL SWITCH' : n.halted ? 'HALTED' : 'active'}{n.refused > 0 ? ` · ${n.refused} refused` : ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Card>
  );
}

function FiguresRows({ label, figures, testId }: { readonly label: string; readonly figures: readonly CurrencyFigures[]; readonly testId: string }) {
  return (
    <>
      {figures.map((f) => (
        <tr key={`${label}|${f.currency}`} data-testid={`${testId}-${f.currency}`}>
          <td>{label}</td>
          <td>{f.currency}</td>
          <td class="num">{f.grossExposure}</td>
          <td class={`num ${signClass(f.netExposure)}`}>{f.netExposure}</td>
          <td class={`num ${signClass(f.realizedPnl)}`}>{f.realizedPnl}</td>
          <td class={`num ${signClass(f.unrealizedPnl)}`}>{f.unrealizedPnl}</td>
        </tr>
      ))}
    </>
  );
}

function RiskCard({ risk }: { readonly risk: FirmRisk }) {
  return (
    <Card title="Risk per node and firm total (marked at last fill)" testId="firm-risk">
      <p data-testid="firm-kill-switches">Kill switches engaged: {risk.total.killSwitchesEngaged}</p>
      <table>
        <thead>
          <tr><th>Node</th><th>Currency</th><th class="num">Gross exposure</th><th class="num">Net exposure</th><th class="num">Realized</th><th class="num">Unrealized</th></tr>
        </thead>
        <tbody>
          {risk.nodes.map((n) => <FiguresRows key={n.node} label={n.node} figures={n.byCurrency} testId={`firm-risk-${n.node}`} />)}
          <FiguresRows label="TOTAL" figures={risk.total.byCurrency} testId="firm-total" />
        </tbody>
      </table>
    </Card>
  );
}

function PositionsCard({ positions }: { readonly positions: readonly FirmPosition[] }) {
  return (
    <Card title="Positions" testId="firm-positions">
      {positions.length === 0 ? (
        <p class="empty">No open positions.</p>
      ) : (
        <table>
          <thead>
            <tr><th>Node</th><th>Account</th><th>Instrument</th><th>Side</th><th class="num">Quantity</th><th class="num">Avg px</th><th class="num">Realized</th></tr>
          </thead>
          <tbody>
            {positions.map((p) => (
              <tr key={`${p.node}|${p.positionId}`} data-testid={`firm-position-${p.node}-${p.instrumentId}`}>
                <td>{p.node}</td>
                <td>{p.accountId}</td>
                <td>{p.instrumentId}</td>
                <td>{p.side}</td>
                <td class="num">{p.quantity}</td>
                <td class="num">{p.avgEntryPx ?? '—'}</td>
                <td class={`num ${signClass(p.realizedPnl)}`}>{p.realizedPnl}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Card>
  );
}

function OrdersCard({ orders }: { readonly orders: readonly FirmOrder[] }) {
  return (
    <Card title="Open orders" testId="firm-orders">
      {orders.length === 0 ? (
        <p class="empty">No open orders.</p>
      ) : (
        <table>
          <thead>
            <tr><th>Node</th><th>Order</th><th>Instrument</th><th>Side</th><th>Type</th><th>Status</th><th class="num">Quantity</th><th class="num">Filled</th><th class="num">Price</th></tr>
          </thead>
          <tbody>
            {orders.map((o) => (
              <tr key={`${o.node}|${o.clientOrderId}`}>
                <td>{o.node}</td>
                <td>{o.clientOrderId}</td>
                <td>{o.instrumentId}</td>
                <td>{o.side}</td>
                <td>{o.type}</td>
                <td>{o.status}</td>
                <td class="num">{o.quantity}</td>
                <td class="num">{o.filledQty}</td>
                <td class="num">{o.price ?? '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Card>
  );
}
