import { Box, Text } from 'ink';
import { createElement as h, type ReactElement } from 'react';
import type { Line, Tone } from '../panels.ts';
import type { Theme } from '../theme.ts';

export function toneColor(theme: Theme, tone: Tone | 'border' | undefined): string | undefined {
  return theme.mono ? undefined : theme[tone ?? 'text'];
}

/** One line of toned segments, cut at the panel's edge (never wrapped: rows stay rows). */
export function LineView({ line, theme }: { line: Line; theme: Theme }): ReactElement {
  return h(Text, { wrap: 'truncate' }, ...line.map((s, i) => h(Text, { key: i, color: toneColor(theme, s.tone), bold: s.tone === 'focus' }, s.text)));
}

export interface PanelProps {
  readonly title: string;
  readonly lines: readonly Line[];
  readonly theme: Theme;
  readonly focused: boolean;
  /** Body rows shown; more are cut with a "+n more" line. */
  readonly maxRows: number;
  readonly bordered: boolean;
  readonly width?: number | string;
  /** The first line is a table's column heads: a one-row panel shows the first row under it instead. */
  readonly table?: boolean;
}

export function Panel(p: PanelProps): ReactElement {
  // One or two rows: the first lines as they are (a summary), no "more" marker taking the only row.
  const rows = p.table && p.maxRows <= 2 && p.lines.length > p.maxRows ? p.lines.slice(1) : p.lines;
  const shown = p.maxRows <= 2 ? rows.slice(0, p.maxRows) : p.lines.length > p.maxRows ? [...p.lines.slice(0, Math.max(0, p.maxRows - 1)), [{ text: `… +${p.lines.length - p.maxRows + 1} more (F2: full screen)`, tone: 'dim' as const }]] : p.lines;
  const titleColor = toneColor(p.theme, p.focused ? 'focus' : 'accent');
  const title = h(Text, { color: titleColor, bold: true, inverse: p.focused && !p.bordered }, p.focused ? `▶ ${p.title}` : `  ${p.title}`);
  const body = shown.map((line, i) => h(LineView, { key: i, line, theme: p.theme }));
  return h(
    Box,
    {
      flexDirection: 'column',
      flexGrow: 1,
      ...(p.width !== undefined && { width: p.width }),
      ...(p.bordered && { borderStyle: p.focused ? 'double' : 'single', borderColor: toneColor(p.theme, p.focused ? 'focus' : 'border') }),
    },
    title,
    ...body,
  );
}
