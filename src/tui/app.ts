/**
 * The terminal dashboard: the controller's data and the screen's state, drawn by Ink. Keys go
 * through `onKey` (pure); its effect is performed here: an API call whose answer (or refusal,
 * with its code) becomes the message line.
 */
import { Box, useApp, useStdin, useStdout } from 'ink';
import { createElement as h, useCallback, useEffect, useRef, useState, useSyncExternalStore, type ReactElement } from 'react';
import { perform } from './actions.ts';
import { Footer, Header, MessageLine } from './components/chrome.ts';
import { Dashboard } from './components/layout.ts';
import { OverlayView, PromptLine } from './components/overlays.ts';
import type { DashController } from './controller.ts';
import { decodeKeys, type Key } from './keys.ts';
import { nodeNow, type DashState } from './state.ts';
import { themeOf, type ThemeName } from './theme.ts';
import { initialUi, messageOf, onKey, type Effect, type UiState, type View } from './ui.ts';
import { pendingProposals } from './advisor.ts';

export interface AppProps {
  readonly controller: DashController;
  readonly theme: ThemeName;
  readonly noColor: boolean;
  /** Called once when the user quits (Q, Ctrl-C): the caller stops the stream and exits. */
  readonly onQuit: () => void;
  /** Redraw period for the clocks on screen (uptime, event rate); not a data poll. */
  readonly tickMs?: number;
}

/** How long a refusal stays on the message line before the stream's news may replace it. */
export const REFUSAL_HOLD_MS = 5_000;

export function viewOf(d: DashState): View {
  return { orders: d.parts.orders ?? [], positions: d.parts.positions ?? [], strategies: d.parts.strategies ?? [], instruments: d.parts.instruments ?? [], nodeNow: nodeNow(d), proposals: pendingProposals(d.parts.proposals) };
}

/** Raw key events (Ink's useInput has no function keys), decoded by `decodeKeys`. */
function useKeys(handler: (k: Key) => void): void {
  const { internal_eventEmitter: events, setRawMode, isRawModeSupported } = useStdin();
  const ref = useRef(handler);
  ref.current = handler;
  useEffect(() => {
    if (isRawModeSupported) setRawMode(true);
    const on = (data: string): void => {
      for (const k of decodeKeys(data)) ref.current(k);
    };
    events.on('input', on);
    return () => {
      events.off('input', on);
      if (isRawModeSupported) setRawMode(false);
    };
  }, [events, setRawMode, isRawModeSupported]);
}

export function App(p: AppProps): ReactElement {
  const { controller } = p;
  const dash = useSyncExternalStore(
    useCallback((l: () => void) => controller.subscribe(l), [controller]),
    () => controller.current(),
  );
  const [ui, setUi] = useState<UiState>(() => initialUi(p.theme));
  const uiRef = useRef(ui);
  const [now, setNow] = useState(() => controller.now());
  const { exit } = useApp();
  const { stdout } = useStdout();
  const width = stdout.columns > 0 ? stdout.columns : 80;
  const height = stdout.rows > 0 ? stdout.rows : 24;

  useEffect(() => {
    const t = setInterval(() => setNow(controller.now()), p.tickMs ?? 1_000);
    return () => clearInterval(t);
  }, [controller, p.tickMs]);

  const update = (next: UiState): void => {
    const m = next.message;
    if (m && m !== uiRef.current.message && m.at === undefined) next = { ...next, message: { ...m, at: controller.now() } };
    uiRef.current = next;
    setUi(next);
  };
  const run = (effect: Effect): void => {
    switch (effect.kind) {
      case 'quit':
        p.onQuit();
        exit();
        return;
      case 'refresh':
        update({ ...uiRef.current, message: { tone: 'info', text: 'refreshing…' } });
        void controller.refresh().then(() => update({ ...uiRef.current, message: { tone: 'info', text: controller.lastReadError ?? 'refreshed' } }));
        return;
      case 'action':
        update({ ...uiRef.current, message: { tone: 'info', text: `${effect.action.do}…` } });
        void perform(controller.api, effect.action).then((o) => update({ ...uiRef.current, message: messageOf(o) }));
        return;
      default:
        return effect satisfies never;
    }
  };

  useKeys((k) => {
    const step = onKey(uiRef.current, k, viewOf(controller.current()));
    if (step.ui !== uiRef.current) update(step.ui);
    if (step.effect) run(step.effect);
  });

  const theme = themeOf(ui.theme, p.noColor);
  // The newer of the stream's latest and the last action's answer; a refusal of the user's own action holds the line for REFUSAL_HOLD_MS (a busy stream would otherwise hide it at once).
  const held = ui.message?.tone === 'bad' && now - (ui.message.at ?? 0) < REFUSAL_HOLD_MS;
  const message = dash.activity && !held && (!ui.message || (ui.message.at ?? 0) < dash.activity.at) ? dash.activity : ui.message;
  const promptRows = ui.overlay.kind === 'prompt' ? 2 : 0;
  const ctx = { dash, ui, now, width };
  const settings = [`theme ${ui.theme}${p.noColor ? ' (NO_COLOR: no colour)' : ''}`, `server ${controller.api.baseUrl}`, `user ${dash.parts.me?.name ?? '…'} roles ${dash.parts.me?.roles.join(', ') ?? '…'}`];
  const overlay = h(OverlayView, { overlay: ui.overlay, theme, info: settings });
  return h(
    Box,
    // The theme's background fills the whole screen (matrix: black), not only the cells with text.
    { flexDirection: 'column', width, ...(theme.background !== undefined && { backgroundColor: theme.background }) },
    h(Header, { dash, theme }),
    ui.overlay.kind === 'none' || ui.overlay.kind === 'prompt' ? h(Dashboard, { ctx, theme, rows: height - 4 - promptRows }) : overlay,
    h(PromptLine, { overlay: ui.overlay, theme }),
    h(MessageLine, { message, theme }),
    h(Footer, { focus: ui.focus, theme, width }),
  );
}
