import { useState } from 'preact/hooks';
import { api, errorText, listOf } from '../api/client.ts';
import type { Role, Strategy } from '../api/types.ts';
import { Card, ErrorLine, Guarded, fmtValue, signClass } from '../components/widgets.tsx';
import { useApi } from '../live/hooks.ts';

/** Strategies: state, start/stop/pause/resume, parameters (edited as JSON values), PnL. */
export function Strategies({ roles }: { readonly roles: readonly Role[] }) {
  const { data, error, reload } = useApi<unknown>('/api/strategies');
  const [actionError, setActionError] = useState<string | undefined>();
  const list = listOf<Strategy>(data, 'strategies');
  const act = async (id: string, what: 'start' | 'stop' | 'pause' | 'resume'): Promise<void> => {
    setActionError(undefined);
    await api('POST', `/api/strategies/${encodeURIComponent(id)}/${what}`).then(reload, (e: unknown) => setActionError(errorText(e)));
  };
  return (
    <Card title="Strategies" testId="strategies">
      <ErrorLine error={error ?? actionError} />
      {list.length === 0 && <p class="empty">No strategies.</p>}
      {list.map((s) => (
        <div class="strategy" key={s.id} data-testid={`strategy-${s.id}`}>
          <div class="row">
            <b>{s.name}</b> <small class="mono">{s.id}</small> <span class={`sstate ${s.state}`}>{s.state}</span>
            {s.pnl ? (
              <span class="pnl">
                PnL <b class={signClass(s.pnl.realized)}>{s.pnl.realized}</b> realized · <b class={signClass(s.pnl.unrealized)}>{s.pnl.unrealized}</b> unrealized · {s.pnl.commissions} fees{' '}
                <small>{s.pnl.currency}</small>
              </span>
            ) : (
              <span class="pnl muted">PnL —</span>
            )}
            {s.instruments && <small class="muted">{s.instruments.join(', ')}</small>}
          </div>
          <div class="row">
            {s.state === 'stopped' && <Guarded roles={roles} action="strategy.control" onClick={() => act(s.id, 'start')}>Start</Guarded>}
            {s.state === 'running' && <Guarded roles={roles} action="strategy.control" onClick={() => act(s.id, 'pause')}>Pause</Guarded>}
            {s.state === 'paused' && <Guarded roles={roles} action="strategy.control" onClick={() => act(s.id, 'resume')}>Resume</Guarded>}
            {s.state !== 'stopped' && <Guarded roles={roles} action="strategy.control" onClick={() => act(s.id, 'stop')}>Stop</Guarded>}
          </div>
          <Parameters strategy={s} roles={roles} onSaved={reload} />
        </div>
      ))}
    </Card>
  );
}

function Parameters({ strategy, roles, onSaved }: { readonly strategy: Strategy; readonly roles: readonly Role[]; readonly onSaved: () => void }) {
  const [draft, setDraft] = useState<Record<string, string>>({});
  const [error, setError] = useState<string | undefined>();
  const entries = Object.entries(strategy.parameters ?? {});
  const save = async (): Promise<void> => {
    const body: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(draft)) body[k] = parseParam(v);
    await api('PATCH', `/api/strategies/${encodeURIComponent(strategy.id)}/parameters`, body).then(
      () => {
        setDraft({});
        setError(undefined);
        onSaved();
      },
      (e: unknown) => setError(errorText(e)),
    );
  };
  if (entries.length === 0) return null;
  return (
    <div class="params">
      {entries.map(([k, v]) => (
        <label key={k}>
          {k}
          <input value={draft[k] ?? fmtValue(v)} onInput={(e) => setDraft({ ...draft, [k]: e.currentTarget.value })} />
        </label>
      ))}
      <Guarded roles={roles} action="strategy.control" disabled={Object.keys(draft).length === 0} onClick={save}>
        Save parameters
      </Guarded>
      <ErrorLine error={error} />
    </div>
  );
}

/** A typed value back from its text: numbers and booleans as such (the server validates). */
function parseParam(v: string): unknown {
  if (v === 'true' || v === 'false') return v === 'true';
  if (/^-?\d+(\.\d+)?$/.test(v)) return Number(v);
  return v;
}
