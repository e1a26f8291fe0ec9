import { useState } from 'preact/hooks';
import { api, errorText } from '../api/client.ts';
import type { Role } from '../api/types.ts';
import { amount, Card, ErrorLine, Guarded, signClass } from '../components/widgets.tsx';
import type { LiveFeed } from '../live/feed.ts';
import { useFeed } from '../live/hooks.ts';
import { useEffect } from 'preact/hooks';
import { isZeroDecimal } from '../state/decimal.ts';

/** Net positions (quantity live from fills; prices and PnL re-read after each fill), close/reverse. */
export function Positions({ feed, roles }: { readonly feed: LiveFeed; readonly roles: readonly Role[] }) {
  const view = useFeed(feed);
  const [error, setError] = useState<string | undefined>();
  const [notice, setNotice] = useState<string | undefined>();
  useEffect(() => {
    feed.refreshPositionFigures().catch((e: unknown) => setError(errorText(e)));
  }, [feed, view.state.fillVersion]);
  const rows = [...view.state.positions.values()].filter((p) => !isZeroDecimal(p.quantity));
  const act = async (what: 'close' | 'reverse', accountId: string, instrumentId: string): Promise<void> => {
    setError(undefined);
    try {
      await api('POST', `/api/positions/${what}`, { accountId, instrumentId });
      setNotice(`${what} sent for ${instrumentId}`);
    } catch (e) {
      setError(errorText(e));
    }
  };
  return (
    <Card title="Positions" testId="positions">
      <ErrorLine error={error} testId="positions-error" />
      {notice && <p class="notice">{notice}</p>}
      {rows.length === 0 ? (
        <p class="empty">No open positions.</p>
      ) : (
        <div class="table-wrap">
          <table>
            <thead>
              <tr>
                <th>Account</th>
                <th>Instrument</th>
                <th class="num">Quantity</th>
                <th class="num">Avg px</th>
                <th class="num">Unrealized</th>
                <th class="num">Realized</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {rows.map((p) => (
                <tr key={`${p.accountId}|${p.instrumentId}`} data-testid={`position-${p.instrumentId}`}>
                  <td>{p.accountId}</td>
                  <td>{p.instrumentId}</td>
                  <td class={`num ${signClass(p.quantity)}`}>{p.quantity}</td>
                  <td class="num">{p.avgPx ?? '—'}</td>
                  <td class={`num ${signClass(p.unrealizedPnl)}`}>{amount(p.unrealizedPnl) ?? '—'}</td>
                  <td class={`num ${signClass(p.realizedPnl)}`}>{amount(p.realizedPnl) ?? '—'}</td>
                  <td class="actions">
                    <Guarded roles={roles} action="position.close" onClick={() => act('close', p.accountId, p.instrumentId)}>
                      Close
                    </Guarded>
                    <Guarded roles={roles} action="position.close" onClick={() => act('reverse', p.accountId, p.instrumentId)}>
                      Reverse
                    </Guarded>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </Card>
  );
}
