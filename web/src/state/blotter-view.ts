/**
 * The blotter's pure parts: which orders a filter shows, in what order, and what a key does.
 */
import { isWorking, type BlotterOrder } from './stream-state.ts';

export type Scope = 'working' | 'all';

/** Newest first; `text` matches id, instrument, side, type or status (case-insensitive). */
export function visibleOrders(orders: Iterable<BlotterOrder>, scope: Scope, text: string): BlotterOrder[] {
  const needle = text.trim().toLowerCase();
  return [...orders]
    .filter((o) => scope === 'all' || isWorking(o.status))
    .filter((o) => needle === '' || [o.clientOrderId, o.instrumentId, o.side, o.type, o.status, o.code ?? ''].some((f) => f.toLowerCase().includes(needle)))
    .sort((a, b) => b.tsLast - a.tsLast || b.clientOrderId.localeCompare(a.clientOrderId));
}

export type KeyCommand =
  | { readonly do: 'move'; readonly by: 1 | -1 }
  | { readonly do: 'cancel' }
  | { readonly do: 'modify' }
  | { readonly do: 'filter' }
  | { readonly do: 'help' }
  | { readonly do: 'escape' };

/** The blotter's shortcuts; keys typed into a field are the field's (`inField`). */
export function keyCommand(key: string, inField: boolean): KeyCommand | undefined {
  if (key === 'Escape') return { do: 'escape' };
  if (inField) return undefined;
  switch (key) {
    case 'j':
    case 'ArrowDown':
      return { do: 'move', by: 1 };
    case 'k':
    case 'ArrowUp':
      return { do: 'move', by: -1 };
    case 'c':
      return { do: 'cancel' };
    case 'm':
      return { do: 'modify' };
    case '/':
      return { do: 'filter' };
    case '?':
      return { do: 'help' };
    default:
      return undefined;
  }
}

/**
 * The selected row by its order id, not its position: rows re-sort as orders update (a trailing
 * stop's trigger moves), and a position would then point at another order, so `c` could cancel
 * the wrong one. No id, or one no longer shown: the first row.
 */
export function selectedRow<T extends { readonly clientOrderId: string }>(rows: readonly T[], id: string | undefined): { readonly index: number; readonly row: T | undefined } {
  const i = id === undefined ? -1 : rows.findIndex((r) => r.clientOrderId === id);
  const index = i >= 0 ? i : 0;
  return { index, row: rows[index] };
}

/** The id selected after moving `by` rows from the selected one. */
export function moveSelectionById<T extends { readonly clientOrderId: string }>(rows: readonly T[], id: string | undefined, by: number): string | undefined {
  return rows[moveSelection(selectedRow(rows, id).index, by, rows.length)]?.clientOrderId;
}

/** The selection after moving, kept inside the list. */
export function moveSelection(index: number, by: number, length: number): number {
  if (length === 0) return 0;
  return Math.min(length - 1, Math.max(0, index + by));
}
