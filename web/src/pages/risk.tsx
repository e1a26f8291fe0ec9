import { useState } from 'preact/hooks';
import { api } from '../api/client.ts';
import type { Breaker, RiskStatus, Role } from '../api/types.ts';
import { Card, ConfirmDialog, ErrorLine, Guarded, fmtTime, fmtValue } from '../components/widgets.tsx';
import type { LiveFeed } from '../live/feed.ts';
import { useApi, useFeed } from '../live/hooks.ts';

type Dialog =
  | { readonly kind: 'engage' }
  | { readonly kind: 'reset' }
  | { readonly kind: 'breaker'; readonly breaker: Breaker }
  | { readonly kind: 'state'; readonly scope: string; readonly state: string };

/** Breakers with a bar toward their limit, trading states, the kill switch (with confirmation), resets. */
export function Risk({ feed, roles }: { readonly feed: LiveFeed; readonly roles: readonly Role[] }) {
  const view = useFeed(feed);
  const { data, error } = useApi<RiskStatus>('/api/risk', view.state.riskVersion);
  const [dialog, setDialog] = useState<Dialog | undefined>();
  const [flatten, setFlatten] = useState(false);
  // The stream's kill switch is the newest (the REST answer may predate the last event).
  const ks = view.state.riskVersion > 0 || !data ? view.state.killSwitch : data.killSwitch;
  const listed = data?.tradingStates ?? [...view.state.tradingStates.entries()].map(([scope, state]) => ({ scope, state }));
  // Only scopes set explicitly are listed; the firm is ACTIVE by default (HALTED while the kill switch is engaged).
  const states = listed.some((s) => s.scope === 'FIRM') ? listed : [{ scope: 'FIRM', state: ks.engaged ? 'HALTED' : 'ACTIVE' }, ...listed];
  return (
    <div class="grid">
      <Card title="Kill switch" testId="kill-switch">
        <p class={ks.engaged ? 'ks engaged' : 'ks'} data-testid="kill-switch-state">
          {ks.engaged ? 'ENGAGED' : 'Not engaged'}
          {ks.engaged && (
            <small>
              {' '}
              by {ks.by} · {ks.reason} · {fmtTime(ks.since)}
            </small>
          )}
        </p>
        {ks.engaged ? (
          <Guarded roles={roles} action="killSwitch.reset" testId="reset-kill-switch" onClick={() => setDialog({ kind: 'reset' })}>
            Reset kill switch
          </Guarded>
        ) : (
          <Guarded roles={roles} action="killSwitch.engage" class="danger" testId="engage-kill-switch" onClick={() => setDialog({ kind: 'engage' })}>
            Engage kill switch
          </Guarded>
        )}
      </Card>
      <Card title="Trading states" testId="trading-states">
        <ErrorLine error={error} />
        <ul class="states">
          {states.map((s) => (
            <li key={s.scope} data-testid={`trading-state-${s.scope}`}>
              <span>{s.scope}</span> <b class={`tstate tstate-${s.state}`}>{s.state}</b>
              {(['ACTIVE', 'REDUCING', 'HALTED'] as const)
                .filter((x) => x !== s.state)
                .map((x) => (
                  <Guarded key={x} roles={roles} action="tradingState.set" onClick={() => setDialog({ kind: 'state', scope: s.scope, state: x })}>
                    {x}
                  </Guarded>
                ))}
            </li>
          ))}
        </ul>
      </Card>
      <Card title="Breakers" testId="breakers">
        {(data?.breakers ?? []).length === 0 && <p class="empty">No breaker has tripped since the node started.</p>}
        {(data?.breakers ?? []).map((b) => (
          <BreakerBar key={`${b.name}|${b.scope}`} b={b} roles={roles} onReset={() => setDialog({ kind: 'breaker', breaker: b })} />
        ))}
      </Card>
      {dialog && <RiskDialog dialog={dialog} flatten={flatten} setFlatten={setFlatten} onClose={() => setDialog(undefined)} />}
    </div>
  );
}

function BreakerBar({ b, roles, onReset }: { readonly b: Breaker; readonly roles: readonly Role[]; readonly onReset: () => void }) {
  const ratio = Math.max(0, Math.min(1, b.ratio ?? 0));
  // OPEN: tripped (the circuit is open); CLOSED: trading flows, the bar shows how near the limit it is.
  const level = b.state === 'OPEN' ? 'tripped' : ratio >= 0.8 ? 'warn' : 'ok';
  return (
    <div class="breaker" data-testid={`breaker-${b.name}`}>
      <div class="breaker-head">
        <b>{b.name}</b> <small>{b.scope}</small> <span class={`bstate ${level}`}>{b.state}</span>
        {level === 'tripped' && (
          <Guarded roles={roles} action="breaker.reset" onClick={onReset}>
            Reset
          </Guarded>
        )}
      </div>
      <div class="bar" role="meter" aria-valuemin={0} aria-valuemax={1} aria-valuenow={ratio}>
        <div class={`fill ${level}`} style={{ width: `${(ratio * 100).toFixed(1)}%` }} />
      </div>
      <small>
        {fmtValue(b.value)} / {fmtValue(b.limit)} ({(ratio * 100).toFixed(0)}%)
      </small>
    </div>
  );
}

function RiskDialog(p: { readonly dialog: Dialog; readonly flatten: boolean; readonly setFlatten: (v: boolean) => void; readonly onClose: () => void }) {
  const d = p.dialog;
  switch (d.kind) {
    case 'engage':
      return (
        <ConfirmDialog title="Engage the kill switch?" confirmLabel="Engage" danger onClose={p.onClose} onConfirm={(reason) => api('POST', '/api/risk/kill-switch', { reason, flatten: p.flatten }).then(() => undefined)}>
          <p>Every working order is canceled and trading is HALTED until someone with the risk role resets it.</p>
          <label class="check">
            <input type="checkbox" name="flatten" checked={p.flatten} onChange={(e) => p.setFlatten(e.currentTarget.checked)} /> Also flatten positions
          </label>
        </ConfirmDialog>
      );
    case 'reset':
      return <ConfirmDialog title="Reset the kill switch?" confirmLabel="Reset" onClose={p.onClose} onConfirm={(reason) => api('POST', '/api/risk/kill-switch/reset', { reason }).then(() => undefined)} />;
    case 'breaker':
      return (
        <ConfirmDialog
          title={`Reset breaker ${d.breaker.name}?`}
          confirmLabel="Reset"
          onClose={p.onClose}
          withReason={false}
          onConfirm={() => api('POST', `/api/risk/breakers/${encodeURIComponent(d.breaker.name)}/reset`, { scope: d.breaker.scope }).then(() => undefined)}
        />
      );
    case 'state':
      return (
        <ConfirmDialog
          title={`Set ${d.scope} to ${d.state}?`}
          confirmLabel={`Set ${d.state}`}
          danger={d.state === 'HALTED'}
          onClose={p.onClose}
          onConfirm={(reason) => api('PUT', '/api/risk/trading-state', { scope: d.scope, state: d.state, reason }).then(() => undefined)}
        />
      );
  }
}

