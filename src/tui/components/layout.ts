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
 * title) and share the rest: a panel that needs less than an equal share takes what it needs and
 * leaves the rest to the others. Stacked ones cost 1 (title): the focused panel takes the spare
 * rows, the others one row each.
 */
export function rowBudget(column: readonly PanelId[], available: number, bordered: boolean, focus: PanelId, needs: Readonly<Partial<Record<PanelId, number>>> = {}): Readonly<Partial<Record<PanelId, number>>> {
  const overhead = bordered ? 3 : 1;
  const body = Math.max(column.length, available - overhead * column.length);
  if (!bordered) {
    const rest = Math.max(1, body - (column.length - 1));
    return Object.fromEntries(column.map((p) => [p, p === focus ? rest : 1]));
  }
  const out: Partial<Record<PanelId, number>> = {};
  let left = body;
  let pending = [...column];
  while (pending.length > 0) {
    const share = Math.max(1, Math.floor(left / pending.length));
    const modest = pending.filter((p) => (needs[p] ?? share) < share);
    if (modest.length === 0) {
      for (const p of pending) out[p] = share;
      break;
    }
    for (const p of modest) {
      out[p] = Math.max(1, needs[p] ?? share);
      left -= out[p];
    }
    pending = pending.filter((p) => !modest.includes(p));
  }
  return out;
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
      const lines = Object.fromEntries(column.map((id) => [id, panelLines(id, ctx)]));
      const budget = rowBudget(column, rows, bordered, focus, Object.fromEntries(column.map((id) => [id, lines[id]?.length ?? 1])));
      return h(
        Box,
        { key: c, flexDirection: 'column', width: `${Math.floor(100 / columns.length)}%` },
        ...column.map((id) => h(Panel, { key: id, title: TITLES[id], lines: lines[id] ?? [], theme, focused: id === focus, maxRows: budget[id] ?? 1, bordered, table: TABLES.has(id) })),
      );
    }),
  );
}
