import { useState } from 'preact/hooks';
import { api, errorText, listOf } from '../api/client.ts';
import type { AdvisorStatus, AdviceItem, ProposalRow, Role } from '../api/types.ts';
import { Card, ConfirmDialog, ErrorLine, Guarded, fmtTime } from '../components/widgets.tsx';
import type { LiveFeed } from '../live/feed.ts';
import { useApi, useFeed } from '../live/hooks.ts';

/**
 * The AI advisor: its advice as it streams in and the proposals waiting for a trader. A proposal
 * is only ever a ticket here: Confirm sends it through the risk gate as the trader's order, Reject
 * records why. With no model configured the page says so and nothing else.
 */
export function Advisor({ feed, roles }: { readonly feed: LiveFeed; readonly roles: readonly Role[] }) {
  const view = useFeed(feed);
  const status = useApi<AdvisorStatus>('/api/advisor/status');
  if (status.error) return <ErrorLine error={status.error} />;
  if (!status.data) return <p class="loading">Loading…</p>;
  if (!status.data.configured) {
    return (
      <Card title="AI advisor" testId="advisor">
        <p class="empty" data-testid="advisor-not-configured">
          No model configured. Add an <code>advisor:</code> section to the node's config to get advice; Warden works exactly the same without it.
        </p>
      </Card>
    );
  }
  return (
    <>
      <Proposals roles={roles} version={view.proposalVersion} />
      <AdviceFeed advice={view.advice} />
    </>
  );
}

function AdviceFeed({ advice }: { readonly advice: readonly AdviceItem[] }) {
  return (
    <Card title="Advice" testId="advice">
      {advice.length === 0 && <p class="empty">No advice yet. Ask with warden advise or the API; answers appear here as they come.</p>}
      <ul class="feed">
        {advice.map((a, i) => (
          <li key={i} class={a.ok ? '' : 'sev-warning'} data-testid="advice-item" data-consultation={a.consultation}>
            <small>{fmtTime(a.receivedAt)}</small> <b>{a.task}</b> {a.ok ? (a.summary ?? '') : `no advice: ${a.reason ?? 'failed'}`}{' '}
            {a.consultation && <small class="mono muted">{a.consultation}</small>}
          </li>
        ))}
      </ul>
    </Card>
  );
}

function Proposals({ roles, version }: { readonly roles: readonly Role[]; readonly version: number }) {
  const { data, error, reload } = useApi<unknown>('/api/advisor/proposals', version);
  const [actionError, setActionError] = useState<string | undefined>();
  const [rejecting, setRejecting] = useState<ProposalRow | undefined>();
  const list = listOf<ProposalRow>(data, 'proposals').filter((p) => p.status === 'PENDING');
  const confirm = async (p: ProposalRow): Promise<void> => {
    setActionError(undefined);
    await api('POST', `/api/advisor/proposals/${encodeURIComponent(p.proposalId)}/confirm`).then(reload, (e: unknown) => {
      setActionError(errorText(e));
      reload();
    });
  };
  return (
    <Card title="Proposals waiting for a trader" testId="proposals">
      <ErrorLine error={error ?? actionError} testId="proposal-error" />
      {list.length === 0 && <p class="empty">No pending proposals.</p>}
      <div class="table-wrap">
        <table>
          <tbody>
            {list.map((p) => (
              <tr key={p.proposalId} data-testid={`proposal-${p.proposalId}`}>
                <td>
                  <small>{fmtTime(p.proposedAt)}</small>
                </td>
                <td>
                  <b>{p.action}</b> {p.ticket.side} {p.ticket.quantity} {p.ticket.instrumentId} {p.ticket.type}
                  {p.ticket.price ? ` @ ${p.ticket.price}` : ''} <small class="muted">({p.ticket.accountId})</small>
                </td>
                <td>{p.rationale}</td>
                <td class="mono small">{p.consultation}</td>
                <td>
                  <Guarded roles={roles} action="proposal.decide" testId="proposal-confirm" onClick={() => confirm(p)}>
                    Confirm
                  </Guarded>{' '}
                  <Guarded roles={roles} action="proposal.decide" testId="proposal-reject" onClick={() => setRejecting(p)}>
                    Reject
                  </Guarded>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {rejecting && (
        <ConfirmDialog
          title={`Reject proposal ${rejecting.proposalId}`}
          confirmLabel="Reject"
          onClose={() => setRejecting(undefined)}
          onConfirm={async (reason) => {
            await api('POST', `/api/advisor/proposals/${encodeURIComponent(rejecting.proposalId)}/reject`, { reason });
            reload();
          }}
        />
      )}
    </Card>
  );
}
