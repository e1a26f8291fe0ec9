import { Box, Text } from 'ink';
import { createElement as h, type ReactElement } from 'react';
import type { Theme } from '../theme.ts';
import { choicesOf, formSummary, LABELS, visibleFields, type OrderForm } from '../order-form.ts';
import { PALETTE, type Overlay, type Prompt } from '../ui.ts';
import { toneColor } from './panel.ts';

export const HELP_LINES: readonly string[] = [
  'F1 help   F2 full-screen panel   F3 strategies   F4 risk   F5 portfolio   F6 settings',
  'Tab / Shift-Tab focus   Up/Down select   Enter act   Esc cancel   R refresh   Q quit   Ctrl-C exit',
  'Space   pause or resume the selected strategy',
  'Orders:    N new order (any type: market, limit, stop, stop-limit, if-touched, trailing)',
  '           C cancel   M modify   F cancel all',
  'Positions: S close   A add   R reverse',
  'Advisor:   Y confirm   X reject the selected proposal (trader)',
  ': or Ctrl-P   command palette: emergency halt, close all positions, cancel all orders,',
  '              risk report, run a backtest, reset the kill switch',
  'Every action is an API call with your role: a refusal shows its code.',
];

const PROMPT_TITLES: Readonly<Record<Prompt['for'], string>> = {
  modify: 'Modify order: QUANTITY [PRICE]',
  add: 'Add to position: QUANTITY (at market)',
  backtest: 'Run a backtest: STRATEGY',
};

const CONFIRM_TEXT = {
  halt: 'EMERGENCY HALT: engage the kill switch (cancel every order, halt trading)?',
  closeAll: 'Close every open position at market?',
  cancelAll: 'Cancel every open order?',
  reset: 'Reset the kill switch (trading resumes)?',
} as const;

function Frame({ title, theme, children }: { title: string; theme: Theme; children: ReactElement[] }): ReactElement {
  return h(Box, { flexDirection: 'column', borderStyle: 'double', borderColor: toneColor(theme, 'focus'), paddingX: 1 }, h(Text, { bold: true, color: toneColor(theme, 'accent') }, title), ...children);
}

/** The overlay over the panels (the prompt is drawn as a line instead: see PromptLine). */
export function OverlayView({ overlay, theme, info }: { overlay: Overlay; theme: Theme; info: readonly string[] }): ReactElement | null {
  const line = (text: string, i: number, tone: 'text' | 'focus' | 'bad' = 'text'): ReactElement => h(Text, { key: i, color: toneColor(theme, tone), bold: tone === 'focus' }, text);
  switch (overlay.kind) {
    case 'none':
    case 'prompt':
      return null;
    case 'help':
      return h(Frame, { title: 'Keys (Esc closes)', theme, children: HELP_LINES.map((t, i) => line(t, i)) });
    case 'settings':
      return h(Frame, { title: 'Settings (T toggles the theme, Esc closes)', theme, children: info.map((t, i) => line(t, i)) });
    case 'palette':
      return h(Frame, {
        title: 'Command palette (Up/Down, Enter or 1-6; Esc closes)',
        theme,
        children: PALETTE.map((c, i) => line(`${i === overlay.index ? '>' : ' '} ${i + 1}. ${c.label}`, i, i === overlay.index ? 'focus' : 'text')),
      });
    case 'confirm':
      return h(Frame, { title: 'Confirm', theme, children: [line(CONFIRM_TEXT[overlay.command], 0, 'bad'), line('Y / Enter: yes    N / Esc: no', 1)] });
    case 'form':
      return h(Frame, { title: 'New order (Up/Down field, Left/Right or Space choose, type to edit; Enter sends, Esc cancels)', theme, children: formLines(overlay.form).map((l, i) => line(l.text, i, l.tone)) });
    default:
      return overlay satisfies never;
  }
}

export function PromptLine({ overlay, theme }: { overlay: Overlay; theme: Theme }): ReactElement | null {
  if (overlay.kind !== 'prompt') return null;
  return h(
    Box,
    { flexDirection: 'column' },
    h(Text, { color: toneColor(theme, 'accent'), wrap: 'truncate' }, `${PROMPT_TITLES[overlay.prompt.for]}   (Enter sends, Esc cancels)`),
    h(Text, { color: toneColor(theme, 'focus'), wrap: 'truncate' }, `> ${overlay.text}█`),
  );
}

/** The form's lines: each field the order type takes (the cursor on one), what Enter sends, and why it did not. */
type FormLine = { text: string; tone: 'text' | 'focus' | 'bad' };

export function formLines(form: OrderForm): FormLine[] {
  const out = visibleFields(form.values).map((f): FormLine => {
    const here = form.at === f;
    const v = form.values[f];
    const shown = choicesOf(f, []) ? `< ${v} >` : `${v}${here ? '█' : ''}`;
    return { text: `${here ? '>' : ' '} ${LABELS[f].padEnd(18)} ${f === 'instrument' ? `${v}${here ? '█' : ''}  (Left/Right: next)` : shown}`, tone: here ? 'focus' : 'text' };
  });
  out.push({ text: `  sends: ${formSummary(form.values)}`, tone: 'text' });
  if (form.error) out.push({ text: `  ${form.error}`, tone: 'bad' });
  return out;
}
