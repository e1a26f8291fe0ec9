import { useEffect, useState } from 'preact/hooks';
import { api, ApiError, errorText, listOf } from '../api/client.ts';
import type { CheckVerdict, Instrument, Role } from '../api/types.ts';
import { Card, Guarded } from '../components/widgets.tsx';
import type { LiveFeed, Quote } from '../live/feed.ts';
import { useApi, useFeed } from '../live/hooks.ts';
import { permission } from '../state/permissions.ts';
import { ALGO_KINDS, EMPTY_TICKET, fieldsOf, LIST_KINDS, SIMPLE_TYPES, ticketRequest, type TicketForm, type TicketKind } from '../state/ticket.ts';

type Outcome =
  | { readonly kind: 'none' }
  | { readonly kind: 'sent'; readonly id: string; readonly status: string }
  | { readonly kind: 'denied'; readonly code: string; readonly message: string };

/** The order ticket: the gate's verdict before sending (POST /api/orders/check) and the outcome after. */
export function Ticket({ roles, feed }: { readonly roles: readonly Role[]; readonly feed: LiveFeed }) {
  const [form, setForm] = useState<TicketForm>(EMPTY_TICKET);
  const [verdict, setVerdict] = useState<CheckVerdict | { readonly allowed: 'unknown'; readonly message: string } | undefined>();
  const [outcome, setOutcome] = useState<Outcome>({ kind: 'none' });
  const instruments = listOf<Instrument>(useApi<unknown>('/api/instruments').data, 'instruments');
  const view = useFeed(feed);
  const set = <K extends keyof TicketForm>(k: K, v: TicketForm[K]): void => setForm((f) => ({ ...f, [k]: v }));
  const uses = fieldsOf(form.kind);
  const first = instruments[0]?.id;
  useEffect(() => {
    if (form.instrumentId === '' && first) set('instrumentId', first);
  }, [first, form.instrumentId]);

  // The verdict follows the form (debounced); only a single order has a pre-check.
  useEffect(() => {
    const req = ticketRequest(form, 0);
    if (!req.checkPath || form.quantity.trim() === '' || form.instrumentId === '') return setVerdict(undefined);
    let live = true;
    const t = setTimeout(() => {
      api<CheckVerdict>('POST', req.checkPath as string, req.body).then(
        (v) => live && setVerdict(v),
        (e: unknown) => live && setVerdict(verdictFromError(e)),
      );
    }, 250);
    return () => {
      live = false;
      clearTimeout(t);
    };
  }, [form, view.state.riskVersion]);

  const send = async (): Promise<void> => {
    // eslint-disable-next-line no-restricted-syntax -- an algo's horizon starts at the wall clock (UI layer, not the engine)
    const req = ticketRequest(form, Date.now());
    try {
      const res = await api<{ clientOrderId?: string; id?: string; status?: string }>('POST', req.path, req.body);
      setOutcome({ kind: 'sent', id: res.clientOrderId ?? res.id ?? '', status: res.status ?? 'sent' });
    } catch (e) {
      setOutcome(e instanceof ApiError ? { kind: 'denied', code: e.code, message: e.message } : { kind: 'denied', code: 'ERROR', message: errorText(e) });
    }
  };
  const perm = permission(roles, 'order.submit');

  return (
    <Card title="Order ticket" testId="ticket">
      <form
        class="ticket"
        onSubmit={(e) => {
          e.preventDefault();
          if (perm.ok) void send();
        }}
      >
        <label>
          Instrument
          <select name="instrumentId" value={form.instrumentId} onChange={(e) => set('instrumentId', e.currentTarget.value)}>
            {instruments.map((i) => (
              <option key={i.id} value={i.id}>
                {i.id}
              </option>
            ))}
          </select>
        </label>
        <QuoteLine quote={view.quotes.get(form.instrumentId)} />
        <div class="side-toggle" role="radiogroup" aria-label="Side">
          {(['BUY', 'SELL'] as const).map((s) => (
            <button key={s} type="button" name={`side-${s}`} class={form.side === s ? `on ${s.toLowerCase()}` : ''} onClick={() => set('side', s)}>
              {s}
            </button>
          ))}
        </div>
        <label>
          Type
          <select name="kind" value={form.kind} onChange={(e) => set('kind', e.currentTarget.value as TicketKind)}>
            <optgroup label="Orders">{SIMPLE_TYPES.map((t) => <option key={t}>{t}</option>)}</optgroup>
            <optgroup label="Lists">{LIST_KINDS.map((t) => <option key={t}>{t}</option>)}</optgroup>
            <optgroup label="Algos">{ALGO_KINDS.map((t) => <option key={t}>{t}</option>)}</optgroup>
          </select>
        </label>
        <Text name="quantity" label="Quantity" form={form} set={set} />
        {uses.has('price') && <Text name="price" label={form.kind === 'BRACKET' || form.kind === 'OCO' ? 'Limit price' : 'Price'} form={form} set={set} />}
        {uses.has('triggerPrice') && <Text name="triggerPrice" label="Trigger price" form={form} set={set} />}
        {uses.has('trailingOffset') && <Text name="trailingOffset" label="Trailing offset" form={form} set={set} />}
        {uses.has('trailingOffsetType') && (
          <label>
            Offset in
            <select name="trailingOffsetType" value={form.trailingOffsetType} onChange={(e) => set('trailingOffsetType', e.currentTarget.value as TicketForm['trailingOffsetType'])}>
              <option>PRICE</option>
              <option>BASIS_POINTS</option>
              <option>TICKS</option>
            </select>
          </label>
        )}
        {uses.has('limitOffset') && <Text name="limitOffset" label="Limit offset" form={form} set={set} />}
        {uses.has('takeProfitPrice') && <Text name="takeProfitPrice" label="Take profit" form={form} set={set} />}
        {uses.has('stopLossTriggerPrice') && <Text name="stopLossTriggerPrice" label="Stop loss trigger" form={form} set={set} />}
        {uses.has('ocoStopTrigger') && <Text name="ocoStopTrigger" label="Stop leg trigger" form={form} set={set} />}
        {uses.has('durationMinutes') && <Text name="durationMinutes" label="Duration (min)" form={form} set={set} />}
        {uses.has('slices') && <Text name="slices" label="Slices" form={form} set={set} />}
        {uses.has('weights') && <Text name="weights" label="Weights per slice" form={form} set={set} />}
        {uses.has('displayQuantity') && <Text name="displayQuantity" label="Display qty" form={form} set={set} />}
        {uses.has('timeInForce') && (
          <label>
            Time in force
            <select name="timeInForce" value={form.timeInForce} onChange={(e) => set('timeInForce', e.currentTarget.value)}>
              {['GTC', 'IOC', 'FOK', 'DAY'].map((t) => (
                <option key={t}>{t}</option>
              ))}
            </select>
          </label>
        )}
        <div class="checks">
          {uses.has('postOnly') && <Check name="postOnly" label="Post only" form={form} set={set} />}
          {uses.has('reduceOnly') && <Check name="reduceOnly" label="Reduce only" form={form} set={set} />}
        </div>
        <VerdictLine verdict={verdict} />
        <Guarded roles={roles} action="order.submit" class={`primary ${form.side.toLowerCase()}`} testId="send-order" onClick={send}>
          {form.side === 'BUY' ? 'Buy' : 'Sell'} {form.quantity || '…'} {form.instrumentId}
        </Guarded>
        <OutcomeLine outcome={outcome} />
      </form>
    </Card>
  );
}

function verdictFromError(e: unknown): { readonly allowed: 'unknown'; readonly message: string } | CheckVerdict {
  if (e instanceof ApiError && e.status === 409) return { allowed: false, code: e.code, message: e.message };
  return { allowed: 'unknown', message: errorText(e) };
}

type Setter = <K extends keyof TicketForm>(k: K, v: TicketForm[K]) => void;

function Text({ name, label, form, set }: { readonly name: keyof TicketForm; readonly label: string; readonly form: TicketForm; readonly set: Setter }) {
  return (
    <label>
      {label}
      <input name={name} inputMode="decimal" value={String(form[name])} onInput={(e) => set(name, e.currentTarget.value as never)} />
    </label>
  );
}

function Check({ name, label, form, set }: { readonly name: 'postOnly' | 'reduceOnly'; readonly label: string; readonly form: TicketForm; readonly set: Setter }) {
  return (
    <label class="check">
      <input type="checkbox" name={name} checked={form[name]} onChange={(e) => set(name, e.currentTarget.checked)} /> {label}
    </label>
  );
}

function VerdictLine({ verdict }: { readonly verdict: CheckVerdict | { readonly allowed: 'unknown'; readonly message: string } | undefined }) {
  if (!verdict) return <p class="verdict muted">Gate verdict: fill in the order (lists and algos are checked when sent).</p>;
  if (verdict.allowed === true)
    return (
      <p class="verdict ok" data-testid="verdict">
        Gate: allowed
      </p>
    );
  if (verdict.allowed === 'unknown')
    return (
      <p class="verdict muted" data-testid="verdict">
        Gate: {verdict.message}
      </p>
    );
  return (
    <p class="verdict denied" data-testid="verdict">
      Gate would deny: <b class="code">{verdict.code}</b> {verdict.message}
    </p>
  );
}

function OutcomeLine({ outcome }: { readonly outcome: Outcome }) {
  switch (outcome.kind) {
    case 'none':
      return null;
    case 'sent':
      return (
        <p class="outcome ok" data-testid="outcome">
          Sent <span class="mono">{outcome.id}</span>: {outcome.status}
        </p>
      );
    case 'denied':
      return (
        <p class="outcome denied" role="alert" data-testid="outcome">
          Denied: <b class="code" data-testid="denial-code">{outcome.code}</b> {outcome.message}
        </p>
      );
  }
}

function QuoteLine({ quote }: { readonly quote: Quote | undefined }) {
  return (
    <p class="quote" data-testid="quote" data-last={quote?.last ?? ''}>
      {quote ? (
        <>
          bid <b>{quote.bid ?? '—'}</b> · ask <b>{quote.ask ?? '—'}</b> · last <b>{quote.last ?? '—'}</b>
        </>
      ) : (
        <span class="muted">no quote yet</span>
      )}
    </p>
  );
}
