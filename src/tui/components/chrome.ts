import { Box, Text } from 'ink';
import { createElement as h, type ReactElement } from 'react';
import { tradingState, type DashState } from '../state.ts';
import type { Theme } from '../theme.ts';
import type { Message, PanelId } from '../ui.ts';
import { toneColor } from './panel.ts';

/** Mode, user and roles, stream and trading state: what must never be missed. */
export function Header({ dash, theme }: { dash: DashState; theme: Theme }): ReactElement {
  const mode = (dash.parts.health?.mode ?? '?').toLowerCase() === 'live' ? 'LIVE' : (dash.parts.health?.mode ?? '…').toUpperCase();
  const me = dash.parts.me;
  const state = tradingState(dash);
  const halted = state === 'HALTED';
  return h(
    Box,
    { justifyContent: 'space-between' },
    h(
      Text,
      { wrap: 'truncate' },
      h(Text, { color: toneColor(theme, 'accent'), bold: true }, 'WARDEN '),
      h(Text, { color: toneColor(theme, mode === 'LIVE' ? 'bad' : 'good'), inverse: true }, ` ${mode} `),
      h(Text, { color: toneColor(theme, 'text') }, `  ${me ? `${me.name} [${me.roles.join(',')}]` : '…'}  stream ${dash.connection.toUpperCase()}  `),
      h(Text, { color: toneColor(theme, halted ? 'bad' : 'good'), bold: true, inverse: halted }, halted ? ' HALTED ' : state),
    ),
  );
}

const CONTEXT_KEYS: Partial<Record<PanelId, string>> = {
  orders: 'N new C cancel M modify F cancel all',
  positions: 'S close A add R reverse',
  strategies: 'Space pause/resume',
};

const WIDE_KEYS = 'F1 help F2 full F3 strat F4 risk F5 portfolio F6 settings Tab focus : palette N order R refresh Q quit';
const NARROW_KEYS = 'F1 help F2 full Tab focus : palette N order Q quit';

export function Footer({ focus, theme, width }: { focus: PanelId; theme: Theme; width: number }): ReactElement {
  const extra = CONTEXT_KEYS[focus];
  return h(Text, { wrap: 'truncate', color: toneColor(theme, 'dim') }, `${width >= 100 ? WIDE_KEYS : NARROW_KEYS}${extra ? ` | ${extra}` : ''}`);
}

export function MessageLine({ message, theme }: { message: Message | undefined; theme: Theme }): ReactElement {
  return h(Text, { wrap: 'truncate', color: toneColor(theme, message?.tone === 'bad' ? 'bad' : message?.tone === 'good' ? 'good' : 'dim') }, message?.text ?? ' ');
}
