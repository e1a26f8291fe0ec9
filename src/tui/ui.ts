/**
 * What each key does: a pure step from the screen's state and a key to the next state and at
 * most one effect (an API action, a refresh, quit). The App performs the effect; tests call
 * `onKey` directly and through the rendered App.
 */
import type { Action } from './actions.ts';
import { formKey, newForm, type OrderForm } from './order-form.ts';
import { charOf, isNamed, type Key } from './keys.ts';
import type { ThemeName } from './theme.ts';
import type { InstrumentRow, OrderRow, PositionRow, StrategyRow } from './types.ts';
import { proposalAction, type ProposalRow } from './advisor.ts';

export const PANELS = ['account', 'positions', 'orders', 'market', 'risk', 'advisor', 'strategies', 'health'] as const;
export type PanelId = (typeof PANELS)[number];

export const PALETTE = [
  { id: 'halt', label: 'Emergency halt: engage the kill switch' },
  { id: 'closeAll', label: 'Close all positions' },
  { id: 'cancelAll', label: 'Cancel all orders' },
  { id: 'riskReport', label: 'Risk report' },
  { id: 'backtest', label: 'Run a backtest' },
  { id: 'reset', label: 'Reset the kill switch (risk role)' },
] as const;
export type PaletteId = (typeof PALETTE)[number]['id'];
type Confirmable = Exclude<PaletteId, 'riskReport' | 'backtest'>;

export type Prompt =
  | { readonly for: 'modify'; readonly clientOrderId: string }
  | { readonly for: 'add'; readonly position: PositionRow }
  | { readonly for: 'backtest' };

export type Overlay =
  | { readonly kind: 'none' }
  | { readonly kind: 'help' }
  | { readonly kind: 'settings' }
  | { readonly kind: 'palette'; readonly index: number }
  | { readonly kind: 'prompt'; readonly prompt: Prompt; readonly text: string }
  | { readonly kind: 'form'; readonly form: OrderForm }
  | { readonly kind: 'confirm'; readonly command: Confirmable };

export interface Message {
  readonly tone: 'good' | 'bad' | 'info';
  readonly text: string;
  /** Wall time, stamped by the App (the message line shows the newer of this and the stream's latest). */
  readonly at?: number;
}

export interface UiState {
  readonly focus: PanelId;
  readonly fullscreen: boolean;
  readonly overlay: Overlay;
  readonly selected: Readonly<Record<PanelId, number>>;
  readonly message?: Message;
  readonly theme: ThemeName;
}

/** The rows the keys act on, from the dashboard's data. */
export interface View {
  readonly orders: readonly OrderRow[];
  readonly positions: readonly PositionRow[];
  readonly strategies: readonly StrategyRow[];
  readonly instruments: readonly InstrumentRow[];
  /** The node's clock (epoch ms; 0 before its first figures): a GTD order's expiry counts from it. */
  readonly nodeNow: number;
  /** The advisor's pending proposals (Y confirms, X rejects the selected one). */
  readonly proposals?: readonly ProposalRow[];
}

export type Effect = { readonly kind: 'action'; readonly action: Action } | { readonly kind: 'refresh' } | { readonly kind: 'quit' };

export interface Step {
  readonly ui: UiState;
  readonly effect?: Effect;
}

const NONE: Overlay = { kind: 'none' };

export function initialUi(theme: ThemeName): UiState {
  return { focus: 'account', fullscreen: false, overlay: NONE, selected: Object.fromEntries(PANELS.map((p) => [p, 0])) as Record<PanelId, number>, theme };
}

export function onKey(ui: UiState, key: Key, view: View): Step {
  if (isNamed(key, 'ctrl-c')) return { ui, effect: { kind: 'quit' } };
  const o = ui.overlay;
  switch (o.kind) {
    case 'none':
      return normal(ui, key, view);
    case 'help':
    case 'settings':
      if (o.kind === 'settings' && charOf(key) === 't') return { ui: { ...ui, theme: ui.theme === 'matrix' ? 'plain' : 'matrix' } };
      return isNamed(key, 'esc') || isNamed(key, 'enter') || isNamed(key, 'f1') || isNamed(key, 'f6') || charOf(key) === 'q' ? { ui: { ...ui, overlay: NONE } } : { ui };
    case 'palette':
      return palette(ui, o.index, key);
    case 'confirm':
      if (charOf(key) === 'y' || isNamed(key, 'enter')) return { ui: { ...ui, overlay: NONE }, effect: { kind: 'action', action: confirmed(o.command, view) } };
      return charOf(key) === 'n' || isNamed(key, 'esc') ? { ui: { ...ui, overlay: NONE, message: { tone: 'info', text: 'canceled' } } } : { ui };
    case 'prompt':
      return prompt(ui, o.prompt, o.text, key);
    case 'form': {
      const step = formKey(o.form, key, view.instruments, view.nodeNow);
      switch (step.kind) {
        case 'edit':
          return { ui: { ...ui, overlay: { kind: 'form', form: step.form } } };
        case 'cancel':
          return { ui: { ...ui, overlay: NONE, message: { tone: 'info', text: 'canceled' } } };
        case 'send':
          return { ui: { ...ui, overlay: NONE }, effect: { kind: 'action', action: { do: 'submitOrder', ticket: step.ticket } } };
        default:
          return step satisfies never;
      }
    }
    default:
      return o satisfies never;
  }
}

const selectedOf = <T>(ui: UiState, panel: PanelId, rows: readonly T[]): T | undefined => rows[Math.min(ui.selected[panel], rows.length - 1)];
const say = (ui: UiState, text: string, tone: Message['tone'] = 'info'): Step => ({ ui: { ...ui, message: { tone, text } } });
const act = (ui: UiState, action: Action): Step => ({ ui, effect: { kind: 'action', action } });

function normal(ui: UiState, key: Key, view: View): Step {
  if ('name' in key) {
    switch (key.name) {
      case 'f1':
        return { ui: { ...ui, overlay: { kind: 'help' } } };
      case 'f2':
        return { ui: { ...ui, fullscreen: !ui.fullscreen } };
      case 'f3':
        return { ui: { ...ui, focus: 'strategies', fullscreen: true } };
      case 'f4':
        return { ui: { ...ui, focus: 'risk', fullscreen: true } };
      case 'f5':
        return { ui: { ...ui, focus: 'positions', fullscreen: true } };
      case 'f6':
        return { ui: { ...ui, overlay: { kind: 'settings' } } };
      case 'tab':
      case 'shift-tab': {
        const i = PANELS.indexOf(ui.focus) + (key.name === 'tab' ? 1 : PANELS.length - 1);
        return { ui: { ...ui, focus: PANELS[i % PANELS.length] ?? 'account' } };
      }
      case 'up':
      case 'down': {
        const rows = rowsOf(ui.focus, view);
        const at = Math.min(ui.selected[ui.focus], Math.max(0, rows - 1)) + (key.name === 'down' ? 1 : -1);
        return { ui: { ...ui, selected: { ...ui.selected, [ui.focus]: Math.max(0, Math.min(rows - 1, at)) } } };
      }
      case 'esc': {
        const { message: _gone, ...rest } = ui;
        return { ui: { ...rest, fullscreen: false } };
      }
      case 'enter':
        return enter(ui, view);
      case 'space':
        return toggleStrategy(ui, view);
      case 'ctrl-p':
        return { ui: { ...ui, overlay: { kind: 'palette', index: 0 } } };
      default:
        return { ui };
    }
  }
  if (key.char === ':') return { ui: { ...ui, overlay: { kind: 'palette', index: 0 } } };
  return letter(ui, charOf(key), view);
}

function letter(ui: UiState, c: string | undefined, view: View): Step {
  const order = selectedOf(ui, 'orders', view.orders);
  const position = selectedOf(ui, 'positions', view.positions);
  const inOrders = ui.focus === 'orders';
  const inPositions = ui.focus === 'positions';
  if (ui.focus === 'advisor' && (c === 'y' || c === 'x')) {
    const a = proposalAction(c, selectedOf(ui, 'advisor', view.proposals ?? []));
    return typeof a === 'string' ? say(ui, a) : act(ui, a);
  }
  switch (c) {
    case 'q':
      return { ui, effect: { kind: 'quit' } };
    case 'n':
      return { ui: { ...ui, overlay: { kind: 'form', form: newForm(view.instruments) } } };
    case 'r':
      if (inPositions) return position ? act(ui, { do: 'reversePosition', accountId: position.accountId, instrumentId: position.instrumentId }) : say(ui, 'no position to reverse');
      return { ui, effect: { kind: 'refresh' } };
    case 'c':
      if (!inOrders) return { ui };
      return order ? act(ui, { do: 'cancelOrder', clientOrderId: order.clientOrderId }) : say(ui, 'no open order to cancel');
    case 'm':
      if (!inOrders) return { ui };
      return order ? { ui: { ...ui, overlay: { kind: 'prompt', prompt: { for: 'modify', clientOrderId: order.clientOrderId }, text: `${order.quantity} ${order.price ?? ''}`.trim() } } } : say(ui, 'no open order to modify');
    case 'f':
      return inOrders ? act(ui, { do: 'cancelAll' }) : { ui };
    case 's':
      if (!inPositions) return { ui };
      return position ? act(ui, { do: 'closePosition', accountId: position.accountId, instrumentId: position.instrumentId }) : say(ui, 'no position to close');
    case 'a':
      if (!inPositions) return { ui };
      return position ? { ui: { ...ui, overlay: { kind: 'prompt', prompt: { for: 'add', position }, text: position.quantity.replace(/^-/, '') } } } : say(ui, 'no position to add to');
    default:
      return { ui };
  }
}

function enter(ui: UiState, view: View): Step {
  switch (ui.focus) {
    case 'orders':
      return letter(ui, 'm', view);
    case 'positions':
      return letter(ui, 's', view);
    case 'strategies':
      return toggleStrategy(ui, view);
    default:
      return { ui: { ...ui, fullscreen: !ui.fullscreen } };
  }
}

function toggleStrategy(ui: UiState, view: View): Step {
  const s = selectedOf(ui, 'strategies', view.strategies);
  if (!s) return say(ui, 'no strategy');
  return act(ui, s.state === 'paused' ? { do: 'resumeStrategy', id: s.id } : { do: 'pauseStrategy', id: s.id });
}

function palette(ui: UiState, index: number, key: Key): Step {
  if (isNamed(key, 'esc')) return { ui: { ...ui, overlay: NONE } };
  if (isNamed(key, 'up') || isNamed(key, 'down')) {
    const next = (index + (isNamed(key, 'down') ? 1 : PALETTE.length - 1)) % PALETTE.length;
    return { ui: { ...ui, overlay: { kind: 'palette', index: next } } };
  }
  const digit = charOf(key);
  const chosen = isNamed(key, 'enter') ? PALETTE[index] : digit !== undefined && /^[1-6]$/.test(digit) ? PALETTE[Number(digit) - 1] : undefined;
  if (!chosen) return { ui };
  switch (chosen.id) {
    case 'riskReport':
      return { ui: { ...ui, overlay: NONE, focus: 'risk', fullscreen: true } };
    case 'backtest':
      return { ui: { ...ui, overlay: { kind: 'prompt', prompt: { for: 'backtest' }, text: 'sma-cross' } } };
    case 'halt':
    case 'closeAll':
    case 'cancelAll':
    case 'reset':
      return { ui: { ...ui, overlay: { kind: 'confirm', command: chosen.id } } };
    default:
      return chosen satisfies never;
  }
}

function confirmed(c: Confirmable, view: View): Action {
  switch (c) {
    case 'halt':
      return { do: 'engageKillSwitch', reason: 'emergency halt from the terminal dashboard' };
    case 'closeAll':
      return { do: 'closeAll', positions: view.positions.map((p) => ({ accountId: p.accountId, instrumentId: p.instrumentId })) };
    case 'cancelAll':
      return { do: 'cancelAll' };
    case 'reset':
      return { do: 'resetKillSwitch', reason: 'reset from the terminal dashboard' };
    default:
      return c satisfies never;
  }
}

function prompt(ui: UiState, p: Prompt, text: string, key: Key): Step {
  if (isNamed(key, 'esc')) return { ui: { ...ui, overlay: NONE, message: { tone: 'info', text: 'canceled' } } };
  if (isNamed(key, 'backspace')) return { ui: { ...ui, overlay: { kind: 'prompt', prompt: p, text: text.slice(0, -1) } } };
  if ('char' in key) return { ui: { ...ui, overlay: { kind: 'prompt', prompt: p, text: text + key.char } } };
  if (isNamed(key, 'space')) return { ui: { ...ui, overlay: { kind: 'prompt', prompt: p, text: `${text} ` } } };
  if (!isNamed(key, 'enter')) return { ui };
  const parsed = actionOfPrompt(p, text);
  if (typeof parsed === 'string') return say(ui, parsed, 'bad');
  return { ui: { ...ui, overlay: NONE }, effect: { kind: 'action', action: parsed } };
}

const DECIMAL = /^\d+(\.\d+)?$/;

/** The prompt's text as an action, or why it is not one (the prompt stays open). */
export function actionOfPrompt(p: Prompt, text: string): Action | string {
  const words = text.trim().split(/\s+/).filter(Boolean);
  switch (p.for) {
    case 'modify': {
      const [quantity, price] = words;
      if (!quantity || !DECIMAL.test(quantity) || (price !== undefined && !DECIMAL.test(price))) return 'type: QUANTITY [PRICE]';
      return { do: 'modifyOrder', clientOrderId: p.clientOrderId, quantity, ...(price !== undefined && { price }) };
    }
    case 'add': {
      const [quantity] = words;
      if (!quantity || !DECIMAL.test(quantity)) return 'type: QUANTITY to add';
      const side = p.position.side === 'SHORT' || p.position.quantity.startsWith('-') ? 'SELL' : 'BUY';
      return { do: 'submitOrder', ticket: { instrumentId: p.position.instrumentId, side, quantity, accountId: p.position.accountId } };
    }
    case 'backtest':
      return words[0] ? { do: 'runBacktest', strategy: words[0] } : 'type a strategy name, e.g. sma-cross';
    default:
      return p satisfies never;
  }
}

/** How many rows the focused panel lists (the selection moves among them). */
function rowsOf(panel: PanelId, view: View): number {
  switch (panel) {
    case 'orders':
      return view.orders.length;
    case 'positions':
      return view.positions.length;
    case 'strategies':
      return view.strategies.length;
    case 'advisor':
      return view.proposals?.length ?? 0;
    default:
      return 0;
  }
}

/** The result of an action as the message line shows it: a refusal with its code. */
export function messageOf(o: { ok: true; text: string } | { ok: false; code: string; message: string }): Message {
  return o.ok ? { tone: 'good', text: o.text } : { tone: 'bad', text: `REFUSED ${o.code}: ${o.message}` };
}
