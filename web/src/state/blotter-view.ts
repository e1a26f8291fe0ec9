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

/** The selection after moving, kept inside the list. */
export function moveSelection(index: number, by: number, length: number): number {
  if (length === 0) return 0;
  return Math.min(length - 1, Math.max(0, index + by));
}
