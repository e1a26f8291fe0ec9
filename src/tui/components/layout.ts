import { Box } from 'ink';
import { createElement as h, type ReactElement } from 'react';
import { panelLines, TITLES, type PanelContext } from '../panels.ts';
import type { Theme } from '../theme.ts';
import { PANELS, type PanelId } from '../ui.ts';
import { Panel } from './panel.ts';

/** Panels whose first line is column heads. */
const TABLES: ReadonlySet<PanelId> = new Set(['positions', 'orders', 'market']);

/** Panels by column for a terminal this wide: three, two, or one stacked (80 columns). */
export function columnsFor(width: number): readonly (readonly PanelId[])[] {
  if (width >= 150) return [['account', 'positions', 'orders'], ['market', 'risk'], ['strategies', 'health', 'advisor']];
  if (width >= 100) return [['account', 'positions', 'orders', 'advisor'], ['market', 'risk', 'strategies', 'health']];
  return [PANELS];
}

/**
 * Body rows per panel in a column of `available` rows. Bordered panels cost 3 rows (borders and
 * title), stacked ones 1 (title); a stacked column gives the focused panel the rest and others one row.
 */
export function rowBudget(column: readonly PanelId[], available: number, bordered: boolean, focus: PanelId): Readonly<Partial<Record<PanelId, number>>> {
  const overhead = bordered ? 3 : 1;
  const body = Math.max(column.length, available - overhead * column.length);
  if (bordered) {
    const each = Math.max(1, Math.floor(body / column.length));
    return Object.fromEntries(column.map((p) => [p, each]));
  }
  const rest = Math.max(1, body - (column.length - 1));
  return Object.fromEntries(column.map((p) => [p, p === focus ? rest : 1]));
}

export interface DashboardProps {
  readonly ctx: PanelContext;
  readonly theme: Theme;
  /** Rows for the panels (the terminal's height less header, message and footer). */
  readonly rows: number;
}

export function Dashboard({ ctx, theme, rows }: DashboardProps): ReactElement {
  const focus = ctx.ui.focus;
  if (ctx.ui.fullscreen) {
    return h(Panel, { title: TITLES[focus], lines: panelLines(focus, ctx), theme, focused: true, maxRows: Math.max(1, rows - 3), bordered: true });
  }
  const columns = columnsFor(ctx.width);
  const bordered = columns.length > 1;
  return h(
    Box,
    { flexDirection: 'row' },
    ...columns.map((column, c) => {
      const budget = rowBudget(column, rows, bordered, focus);
      return h(
        Box,
        { key: c, flexDirection: 'column', width: `${Math.floor(100 / columns.length)}%` },
        ...column.map((id) => h(Panel, { key: id, title: TITLES[id], lines: panelLines(id, ctx), theme, focused: id === focus, maxRows: budget[id] ?? 1, bordered, table: TABLES.has(id) })),
      );
    }),
  );
}
