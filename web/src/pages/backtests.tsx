import { useEffect, useState } from 'preact/hooks';
import { api, errorText, listOf } from '../api/client.ts';
import type { Backtest, Role } from '../api/types.ts';
import { Card, ErrorLine, Guarded, fmtValue } from '../components/widgets.tsx';
import { useApi } from '../live/hooks.ts';

/**
 * Backtests: run one, watch its progress, open its report. Progress is read while a run is going
 * (a backtest runs in a worker and is not on the journal stream).
 */
export function Backtests({ roles }: { readonly roles: readonly Role[] }) {
  const [tick, setTick] = useState(0);
  const { data, error } = useApi<unknown>('/api/backtests', tick);
  const runs = listOf<Backtest>(data, 'backtests');
  const [strategy, setStrategy] = useState('sma-cross');
  const [params, setParams] = useState('fast=60, slow=240');
  const [runError, setRunError] = useState<string | undefined>();
  const running = runs.some((r) => r.state === 'running' || r.state === 'queued');
  useEffect(() => {
    if (!running) return;
    const t = setTimeout(() => setTick((x) => x + 1), 1000);
    return () => clearTimeout(t);
  }, [running, tick]);
  const run = async (): Promise<void> => {
    setRunError(undefined);
    const p: Record<string, string | number> = {};
    for (const part of params.split(',')) {
      const [k, v] = part.split('=').map((s) => s.trim());
      if (k && v !== undefined) p[k] = /^-?\d+(\.\d+)?$/.test(v) ? Number(v) : v;
    }
    await api('POST', '/api/backtests', { strategy, params: p }).then(
      () => setTick((x) => x + 1),
      (e: unknown) => setRunError(errorText(e)),
    );
  };
  return (
    <Card title="Backtests" testId="backtests">
      <form
        class="row wrap"
        onSubmit={(e) => {
          e.preventDefault();
          void run();
        }}
      >
        <label>
          Strategy <input name="strategy" value={strategy} onInput={(e) => setStrategy(e.currentTarget.value)} />
        </label>
        <label>
          Parameters <input name="params" value={params} onInput={(e) => setParams(e.currentTarget.value)} />
        </label>
        <Guarded roles={roles} action="backtest.run" class="primary" onClick={run}>
          Run
        </Guarded>
      </form>
      <ErrorLine error={error ?? runError} />
      {runs.length === 0 && <p class="empty">No backtests yet.</p>}
      {runs.map((r) => (
        <div class="backtest" key={r.id} data-testid="backtest-run" data-state={r.state}>
          <div class="row">
            <b class="mono">{r.id}</b> {r.strategy ?? ''} <span class={`bt-${r.state}`}>{r.state}</span> <small>{Math.round((r.progress ?? 0) * 100)}%</small>
            {r.error ? <span class="error">{r.error}</span> : null}
          </div>
          <div class="bar">
            <div class="fill ok" style={{ width: `${Math.round((r.progress ?? 0) * 100)}%` }} />
          </div>
          {r.result && <small class="mono">{Object.entries(r.result).slice(0, 6).map(([k, v]) => `${k}: ${fmtValue(v)}`).join(' · ')}</small>}
          {r.state === 'done' ? (
            <a href={`/api/backtests/${encodeURIComponent(r.id)}/report`} target="_blank" rel="noreferrer">
              Open report
            </a>
          ) : null}
        </div>
      ))}
    </Card>
  );
}
