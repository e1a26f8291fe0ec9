import { listOf } from '../api/client.ts';
import type { AlertRow, Venue } from '../api/types.ts';
import { Card, ErrorLine, fmtTime, fmtValue } from '../components/widgets.tsx';
import type { LiveFeed } from '../live/feed.ts';
import { useApi, useFeed } from '../live/hooks.ts';

/** Venue health: the REST answer, then what the stream reports (`venue` messages) over it. */
export function Venues({ feed }: { readonly feed: LiveFeed }) {
  const view = useFeed(feed);
  const { data, error } = useApi<unknown>('/api/venues');
  const list = listOf<Venue>(data, 'venues').map((v) => ({ ...v, ...(view.venues.get(v.venue ?? v.name ?? '') ?? {}) }));
  return (
    <Card title="Venues" testId="venues">
      <ErrorLine error={error} />
      {list.length === 0 && <p class="empty">No venues.</p>}
      <div class="table-wrap">
        <table>
          <tbody>
            {list.map((v, i) => {
              const name = v.name ?? v.venue ?? `venue ${i + 1}`;
              const state = v.state ?? v.status ?? (v.connected === undefined ? '—' : v.connected ? 'CONNECTED' : 'DISCONNECTED');
              return (
                <tr key={name}>
                  <td>
                    <b>{name}</b>
                  </td>
                  <td>
                    <span class={`vstate ${String(state).toLowerCase()}`}>{String(state)}</span>
                  </td>
                  <td class="mono small">{detail(v, ['name', 'venue', 'state', 'status', 'connected'])}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
    </Card>
  );
}

function detail(row: Record<string, unknown>, skip: readonly string[]): string {
  return Object.entries(row)
    .filter(([k]) => !skip.includes(k))
    .map(([k, v]) => `${k}: ${typeof v === 'number' && /(Ts|At)$/.test(k) ? fmtTime(v) : fmtValue(v)}`)
    .join(' · ');
}

const tsOf = (r: Record<string, unknown>): number | undefined => [r.ts, r.tsEvent, r.time, r.at].find((v): v is number => typeof v === 'number');

/** Alerts: the recent ones from the API, then new ones live from the stream. */
export function Alerts({ feed }: { readonly feed: LiveFeed }) {
  const view = useFeed(feed);
  const { data, error } = useApi<unknown>('/api/alerts?limit=100');
  const rows = [...view.alerts, ...listOf<AlertRow>(data, 'alerts')];
  return (
    <Card title="Alerts" testId="alerts">
      <ErrorLine error={error} />
      {rows.length === 0 && <p class="empty">No alerts.</p>}
      <ul class="feed">
        {rows.map((a, i) => (
          <li key={i} class={`sev-${fmtValue(a.severity ?? 'info').toLowerCase()}`}>
            <small>{fmtTime(tsOf(a))}</small> <b>{fmtValue(a.code ?? a.kind)}</b> {fmtValue(a.message ?? '')}
          </li>
        ))}
      </ul>
    </Card>
  );
}

/** The audit log: who did what, from where, with what outcome (re-read when new records arrive). */
export function Audit({ feed }: { readonly feed: LiveFeed }) {
  const view = useFeed(feed);
  const { data, error } = useApi<unknown>('/api/audit?limit=200', view.state.auditVersion);
  const rows = listOf<Record<string, unknown>>(data, 'audit');
  return (
    <Card title="Audit log" testId="audit">
      <ErrorLine error={error} />
      {rows.length === 0 && <p class="empty">No audit records.</p>}
      <div class="table-wrap">
        <table>
          <thead>
            <tr>
              <th>Time</th>
              <th>Principal</th>
              <th>Action</th>
              <th>Target</th>
              <th>Outcome</th>
              <th>Source</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r, i) => (
              <tr key={i}>
                <td>{fmtTime(tsOf(r))}</td>
                <td>{fmtValue(r.principal)}</td>
                <td class="mono">{fmtValue(r.action)}</td>
                <td class="mono">{fmtValue(r.target ?? '')}</td>
                <td class={r.outcome === 'OK' ? 'pos' : 'neg'}>
                  {fmtValue(r.outcome)} {r.code ? <small>{fmtValue(r.code)}</small> : null}
                </td>
                <td>{fmtValue(r.source)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </Card>
  );
}
