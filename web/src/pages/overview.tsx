import type { Overview as OverviewData } from '../api/types.ts';
import { EquityChart } from '../components/equity-chart.tsx';
import { amount, Card, ErrorLine, fmtValue, signClass } from '../components/widgets.tsx';
import type { LiveFeed } from '../live/feed.ts';
import { useApi, useFeed } from '../live/hooks.ts';

/** Equity curve, today's PnL, exposure, VaR, drawdown; re-read when a fill or risk event arrives. */
export function Overview({ feed }: { readonly feed: LiveFeed }) {
  const view = useFeed(feed);
  const { data, error } = useApi<OverviewData>('/api/overview', `${view.state.fillVersion}:${view.state.riskVersion}`);
  const ccy = data?.currency ?? '';
  return (
    <div>
      <ErrorLine error={error} />
      <div class="stats">
        <Stat label="PnL today" value={amount(data?.pnlToday)} unit={ccy} testId="pnl-today" />
        <Stat label="Gross exposure" value={amount(data?.exposure.gross)} unit={ccy} />
        <Stat label="Net exposure" value={amount(data?.exposure.net)} unit={ccy} />
        <Stat label="VaR" value={amount(data?.var)} unit={ccy} />
        <Stat label="Drawdown" value={typeof data?.drawdown === 'number' ? `${(data.drawdown * 100).toFixed(2)}%` : data?.drawdown} />
      </div>
      <Card title="Equity" testId="equity">
        <EquityChart points={data?.equity ?? []} />
      </Card>
    </div>
  );
}

function Stat({ label, value, unit, testId }: { readonly label: string; readonly value: string | null | undefined; readonly unit?: string; readonly testId?: string }) {
  return (
    <div class="stat" data-testid={testId}>
      <small>{label}</small>
      <b class={signClass(value)}>
        {fmtValue(value)} {value !== null && value !== undefined && unit ? <small>{unit}</small> : null}
      </b>
    </div>
  );
}
