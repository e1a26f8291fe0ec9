import { useEffect, useRef, useState } from 'preact/hooks';
import { api, errorText } from '../api/client.ts';
import type { Role } from '../api/types.ts';
import { Card, ErrorLine, Guarded, fmtTime } from '../components/widgets.tsx';
import type { LiveFeed } from '../live/feed.ts';
import { useFeed } from '../live/hooks.ts';
import { keyCommand, moveSelectionById, selectedRow, visibleOrders, type Scope } from '../state/blotter-view.ts';
import { permission } from '../state/permissions.ts';
import { isWorking, type BlotterOrder } from '../state/stream-state.ts';

/** The orders blotter: live from the stream; j/k move, c cancel, m modify, / filter, ? help. */
export function Blotter({ feed, roles }: { readonly feed: LiveFeed; readonly roles: readonly Role[] }) {
  const view = useFeed(feed);
  const [scope, setScope] = useState<Scope>('working');
  const [filter, setFilter] = useState('');
  const [selectedId, setSelectedId] = useState<string | undefined>(undefined);
  const [help, setHelp] = useState(false);
  const [modifying, setModifying] = useState<BlotterOrder | undefined>();
  const [error, setError] = useState<string | undefined>();
  const filterBox = useRef<HTMLInputElement>(null);
  const rows = visibleOrders(view.state.orders.values(), scope, filter);
  const current = selectedRow(rows, selectedId).row;

  const cancel = async (o: BlotterOrder | undefined): Promise<void> => {
    if (!o || !isWorking(o.status)) return;
    const perm = permission(roles, 'order.cancel');
    if (!perm.ok) return setError(`cannot cancel: ${perm.reason}`);
    setError(undefined);
    await api('DELETE', `/api/orders/${encodeURIComponent(o.clientOrderId)}`).catch((e: unknown) => setError(errorText(e)));
  };
  const cancelAll = async (): Promise<void> => {
    setError(undefined);
    await api('DELETE', '/api/orders').catch((e: unknown) => setError(errorText(e)));
  };

  // Keys act on what the trader sees now, not on the last render's closure: a key pressed right
  // after another (j then c) must cancel the row just selected, so the handler reads the latest
  // rows, selection and form from a ref that each key also moves at once.
  const live = useRef({ rows, selectedId, modifying });
  live.current = { rows, selectedId, modifying };
  useEffect(() => {
    const onKey = (e: KeyboardEvent): void => {
      const t = e.target as HTMLElement | null;
      const inField = !!t && (t.tagName === 'INPUT' || t.tagName === 'SELECT' || t.tagName === 'TEXTAREA');
      const cmd = keyCommand(e.key, inField);
      const now = live.current;
      if (!cmd || (now.modifying && cmd.do !== 'escape')) return;
      e.preventDefault();
      const selected = selectedRow(now.rows, now.selectedId).row;
      switch (cmd.do) {
        case 'move': {
          const id = moveSelectionById(now.rows, selected?.clientOrderId, cmd.by);
          live.current = { ...now, selectedId: id };
          setSelectedId(id);
          return;
        }
        case 'cancel':
          void cancel(selected);
          return;
        case 'modify':
          if (selected && isWorking(selected.status) && permission(roles, 'order.modify').ok) {
            live.current = { ...now, modifying: selected };
            setModifying(selected);
          }
          return;
        case 'filter':
          filterBox.current?.focus();
          return;
        case 'help':
          setHelp((h) => !h);
          return;
        case 'escape':
          live.current = { ...now, modifying: undefined };
          setHelp(false);
          setModifying(undefined);
          t?.blur();
          return;
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  return (
    <Card title="Orders" testId="blotter">
      <div class="toolbar">
        <select value={scope} onChange={(e) => setScope(e.currentTarget.value as Scope)} aria-label="Show">
          <option value="working">Working</option>
          <option value="all">All</option>
        </select>
        <input ref={filterBox} placeholder="Filter ( / )" value={filter} onInput={(e) => setFilter(e.currentTarget.value)} aria-label="Filter" />
        <Guarded roles={roles} action="order.cancel" onClick={cancelAll} testId="cancel-all">
          Cancel all
        </Guarded>
        <button type="button" onClick={() => setHelp((h) => !h)} title="Keyboard shortcuts">
          ?
        </button>
      </div>
      {help && <Help />}
      <ErrorLine error={error} testId="blotter-error" />
      {modifying && <ModifyForm order={modifying} onDone={() => setModifying(undefined)} />}
      <div class="table-wrap">
        <table class="blotter">
          <thead>
            <tr>
              <th class="hide-sm">Time</th>
              <th class="hide-sm">Id</th>
              <th>Instrument</th>
              <th>Side</th>
              <th class="hide-sm">Type</th>
              <th class="num">Qty</th>
              <th class="num hide-sm">Filled</th>
              <th class="num">Price</th>
              <th>Status</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {rows.map((o) => (
              <tr key={o.clientOrderId} class={o === current ? 'selected' : ''} onClick={() => setSelectedId(o.clientOrderId)} data-testid="order-row" data-order-id={o.clientOrderId} data-status={o.status}>
                <td class="hide-sm" title={fmtTime(o.tsLast)}>{fmtTime(o.tsLast).slice(11)}</td>
                <td class="mono hide-sm">{o.clientOrderId}</td>
                <td>{o.instrumentId}</td>
                <td class={o.side === 'BUY' ? 'pos' : 'neg'}>{o.side}</td>
                <td class="hide-sm">{o.type}</td>
                <td class="num">{o.quantity}</td>
                <td class="num hide-sm">{o.filledQty}</td>
                <td class="num">{o.price ?? o.triggerPrice ?? o.lastPx ?? '—'}</td>
                <td>
                  <span class={`status status-${o.status}`}>{o.status}</span>
                  {o.code && <small class="code"> {o.code}</small>}
                </td>
                <td class="actions">
                  {isWorking(o.status) && (
                    <>
                      <Guarded roles={roles} action="order.cancel" onClick={() => cancel(o)}>
                        Cancel
                      </Guarded>
                      <Guarded roles={roles} action="order.modify" onClick={() => setModifying(o)}>
                        Modify
                      </Guarded>
                    </>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {rows.length === 0 && <p class="empty">No {scope === 'working' ? 'working ' : ''}orders.</p>}
    </Card>
  );
}

function Help() {
  return (
    <dl class="help" data-testid="blotter-help">
      <dt>j / k</dt>
      <dd>move down / up</dd>
      <dt>c</dt>
      <dd>cancel the selected order</dd>
      <dt>m</dt>
      <dd>modify the selected order</dd>
      <dt>/</dt>
      <dd>filter</dd>
      <dt>?</dt>
      <dd>this help</dd>
      <dt>Esc</dt>
      <dd>close</dd>
    </dl>
  );
}

function ModifyForm({ order, onDone }: { readonly order: BlotterOrder; readonly onDone: () => void }) {
  const [quantity, setQuantity] = useState(order.quantity);
  const [price, setPrice] = useState(order.price ?? '');
  const [trigger, setTrigger] = useState(order.triggerPrice ?? '');
  const [error, setError] = useState<string | undefined>();
  const send = async (): Promise<void> => {
    const body = {
      ...(quantity !== order.quantity && { quantity }),
      ...(price !== '' && price !== order.price && { price }),
      ...(trigger !== '' && trigger !== order.triggerPrice && { triggerPrice: trigger }),
    };
    try {
      await api('PATCH', `/api/orders/${encodeURIComponent(order.clientOrderId)}`, body);
      onDone();
    } catch (e) {
      setError(errorText(e));
    }
  };
  return (
    <form
      class="modify"
      onSubmit={(e) => {
        e.preventDefault();
        void send();
      }}
    >
      <b>Modify {order.clientOrderId}</b>
      <label>
        Qty <input name="quantity" value={quantity} onInput={(e) => setQuantity(e.currentTarget.value)} autoFocus />
      </label>
      {order.price !== undefined && (
        <label>
          Price <input name="price" value={price} onInput={(e) => setPrice(e.currentTarget.value)} />
        </label>
      )}
      {order.triggerPrice !== undefined && (
        <label>
          Trigger <input name="triggerPrice" value={trigger} onInput={(e) => setTrigger(e.currentTarget.value)} />
        </label>
      )}
      <button type="submit" class="primary">
        Send
      </button>
      <button type="button" onClick={onDone}>
        Close
      </button>
      <ErrorLine error={error} />
    </form>
  );
}
