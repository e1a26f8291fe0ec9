/** The dashboard's pure parts: key decoding, what each key decides, order entry, layout, theme, state. */
import { describe, expect, it } from 'vitest';
import { credentialFromEnv, themeFrom } from '../../src/cli/tui.ts';
import { columnsFor, rowBudget } from '../../src/tui/components/layout.ts';
import { bar, places, sparkline } from '../../src/tui/format.ts';
import { decodeKeys } from '../../src/tui/keys.ts';
import { amount, sharpeOfCurve } from '../../src/tui/panels.ts';
import { EMPTY_DASH, reduce, staleAfter, tradingState } from '../../src/tui/state.ts';
import { noColorIn, themeOf } from '../../src/tui/theme.ts';
import { initialUi, onKey, type UiState, type View } from '../../src/tui/ui.ts';
import { KEYS } from './support.ts';

const instruments = [{ id: 'BTCUSDT.BINANCEUS', lotSize: '0.00001' }, { id: 'BTCUSDC.BINANCEUS' }, { id: 'AAPL.ALPACA', lotSize: '1' }, { id: 'AAPL.IBKR', lotSize: '1' }];
const view: View = {
  orders: [{ clientOrderId: 'o-1', instrumentId: 'BTCUSDT.BINANCEUS', side: 'BUY', type: 'LIMIT', quantity: '0.00100', price: '20000.00', status: 'ACCEPTED' }],
  positions: [{ accountId: 'ACC-1', instrumentId: 'BTCUSDT.BINANCEUS', side: 'SHORT', quantity: '0.002' }],
  strategies: [{ id: 's-1', name: 'sma-cross', state: 'paused', pnl: null }],
  instruments,
  nodeNow: Date.UTC(2023, 2, 1, 12),
};

/** Presses keys (as the terminal sends them) through `onKey`; the effects in order. */
function press(ui: UiState, ...data: string[]): { ui: UiState; effects: unknown[] } {
  const effects: unknown[] = [];
  for (const d of data) {
    for (const k of decodeKeys(d)) {
      const s = onKey(ui, k, view);
      ui = s.ui;
      if (s.effect) effects.push(s.effect);
    }
  }
  return { ui, effects };
}

describe('keys', () => {
  it('decodes F1-F6 as xterm, VT220 and the Linux console send them', () => {
    expect(['\x1bOP', '\x1b[11~', '\x1b[[A'].map((d) => decodeKeys(d))).toEqual([[{ name: 'f1' }], [{ name: 'f1' }], [{ name: 'f1' }]]);
    expect(decodeKeys('\x1b[15~')).toEqual([{ name: 'f5' }]);
    expect(decodeKeys('\x1b[17~')).toEqual([{ name: 'f6' }]);
  });

  it('splits an event of several keys (two Tabs, a paste) and drops unknown escapes', () => {
    expect(decodeKeys('\t\t')).toEqual([{ name: 'tab' }, { name: 'tab' }]);
    expect(decodeKeys('ab c')).toEqual([{ char: 'a' }, { char: 'b' }, { name: 'space' }, { char: 'c' }]);
    expect(decodeKeys('\x1b[99~')).toEqual([]);
  });
});

describe('what each key decides', () => {
  const ui = initialUi('matrix');

  it('Tab cycles the focus through the eight panels and back', () => {
    expect(press(ui, KEYS.tab).ui.focus).toBe('positions');
    expect(press(ui, ...Array.from({ length: 8 }, () => KEYS.tab)).ui.focus).toBe('account');
  });

  it('C, M and F act only in the orders panel; S, A and R only in the positions panel', () => {
    expect(press(ui, 'c', 'f').effects).toEqual([]);
    expect(press(ui, KEYS.tab, KEYS.tab, 'c', 'f').effects).toEqual([{ kind: 'action', action: { do: 'cancelOrder', clientOrderId: 'o-1' } }, { kind: 'action', action: { do: 'cancelAll' } }]);
    expect(press(ui, KEYS.tab, 's', 'r').effects).toEqual([
      { kind: 'action', action: { do: 'closePosition', accountId: 'ACC-1', instrumentId: 'BTCUSDT.BINANCEUS' } },
      { kind: 'action', action: { do: 'reversePosition', accountId: 'ACC-1', instrumentId: 'BTCUSDT.BINANCEUS' } },
    ]);
    expect(press(ui, 'r').effects).toEqual([{ kind: 'refresh' }]);
  });

  it('A on a short position sells more (the prompt holds the size)', () => {
    expect(press(ui, KEYS.tab, 'a', KEYS.enter).effects).toEqual([{ kind: 'action', action: { do: 'submitOrder', ticket: { instrumentId: 'BTCUSDT.BINANCEUS', side: 'SELL', quantity: '0.002', accountId: 'ACC-1' } } }]);
  });

  it('Space resumes a paused strategy; M modifies with the typed quantity and price', () => {
    expect(press(ui, ' ').effects).toEqual([{ kind: 'action', action: { do: 'resumeStrategy', id: 's-1' } }]);
    const typed = press(ui, KEYS.tab, KEYS.tab, 'm', ...Array.from({ length: 20 }, () => '\x7f'), '0.5 19999.5', KEYS.enter);
    expect(typed.effects).toEqual([{ kind: 'action', action: { do: 'modifyOrder', clientOrderId: 'o-1', quantity: '0.5', price: '19999.5' } }]);
  });

  it('the palette asks before it halts: Esc or N cancels, Y engages the kill switch', () => {
    expect(press(ui, ':', KEYS.enter).ui.overlay).toEqual({ kind: 'confirm', command: 'halt' });
    expect(press(ui, ':', KEYS.enter, 'n').effects).toEqual([]);
    expect(press(ui, KEYS.ctrlP, KEYS.enter, KEYS.esc).effects).toEqual([]);
    expect(press(ui, ':', KEYS.enter, 'y').effects).toEqual([{ kind: 'action', action: { do: 'engageKillSwitch', reason: 'emergency halt from the terminal dashboard' } }]);
    expect(press(ui, ':', '2', 'y').effects).toEqual([{ kind: 'action', action: { do: 'closeAll', positions: [{ accountId: 'ACC-1', instrumentId: 'BTCUSDT.BINANCEUS' }] } }]);
    expect(press(ui, ':', '4').ui).toMatchObject({ focus: 'risk', fullscreen: true, overlay: { kind: 'none' } });
    expect(press(ui, ':', KEYS.down, KEYS.down, KEYS.down, KEYS.down, KEYS.enter, KEYS.enter).effects).toEqual([{ kind: 'action', action: { do: 'runBacktest', strategy: 'sma-cross' } }]);
  });

  it('N opens the order form on a MARKET buy of the first instrument; Enter sends it; a bad quantity keeps the form open and says why', () => {
    expect(press(ui, 'n').ui.overlay).toMatchObject({ kind: 'form', form: { at: 'quantity', values: { side: 'BUY', type: 'MARKET', instrument: 'BTCUSDT.BINANCEUS', quantity: '0.001' } } });
    expect(press(ui, 'n', KEYS.enter).effects).toEqual([{ kind: 'action', action: { do: 'submitOrder', ticket: { instrumentId: 'BTCUSDT.BINANCEUS', side: 'BUY', type: 'MARKET', quantity: '0.001', timeInForce: 'GTC' } } }]);
    const s = press(ui, 'n', '\x7f\x7f\x7f\x7f\x7f', 'lots', KEYS.enter);
    expect(s.effects).toEqual([]);
    expect(s.ui.overlay).toMatchObject({ kind: 'form', form: { error: 'quantity must be a number above zero, e.g. 0.01' } });
    expect(press(ui, 'n', KEYS.esc).ui).toMatchObject({ overlay: { kind: 'none' }, message: { text: 'canceled' } });
  });

  it('Q and Ctrl-C quit, even from an overlay', () => {
    expect(press(ui, 'q').effects).toEqual([{ kind: 'quit' }]);
    expect(press(ui, KEYS.f1, KEYS.ctrlC).effects).toEqual([{ kind: 'quit' }]);
  });
});

describe('layout at 80×24 and wider', () => {
  it('stacks the eight panels in one column under 100 columns, the focused one taking the spare rows', () => {
    expect(columnsFor(80)).toHaveLength(1);
    expect(columnsFor(120)).toHaveLength(2);
    expect(columnsFor(160)).toHaveLength(3);
    const budget = rowBudget(columnsFor(80)[0]!, 20, false, 'orders');
    const used = Object.values(budget).reduce((a, b) => a + b, 0) + 8; // a title row each
    expect(budget.orders).toBe(5);
    expect(budget.account).toBe(1);
    expect(used).toBe(20);
  });

  it('in columns, a panel needing few rows leaves the rest to the others', () => {
    const column = ['account', 'positions', 'orders', 'advisor'] as const;
    // 36 rows less 12 of borders and titles: 24 body rows; advisor needs 1, orders 2, the others share 21.
    expect(rowBudget(column, 36, true, 'account', { account: 12, positions: 30, orders: 2, advisor: 1 })).toEqual({ advisor: 1, orders: 2, account: 10, positions: 10 });
    expect(rowBudget(column, 36, true, 'account', { account: 3, positions: 3, orders: 2, advisor: 1 })).toEqual({ account: 3, positions: 3, orders: 2, advisor: 1 });
  });
});

describe('figures', () => {
  it('gives a Sharpe only for a curve of 30 points over a day or more', () => {
    const curve = (n: number, gapMs: number): { ts: number; value: string }[] => Array.from({ length: n }, (_, i) => ({ ts: i * gapMs, value: String(100_000 + (i % 3) * 10 + i) }));
    expect(sharpeOfCurve(curve(29, 86_400_000))).toBeUndefined();
    expect(sharpeOfCurve(curve(200, 60_000))).toBeUndefined();
    expect(sharpeOfCurve(curve(60, 86_400_000))).toBeGreaterThan(0);
  });

  it('shows small balances to five places, large ones to cents', () => {
    expect(amount('0.00200000')).toBe('0.00200');
    expect(amount('99976.78512')).toBe('99976.78');
  });
});

describe('format and theme', () => {
  it('draws sparklines and limit bars', () => {
    expect(sparkline([1, 2, 3, 4, 5, 6, 7, 8], 8)).toBe('▁▂▃▄▅▆▇█');
    expect(sparkline([5, 5, 5], 8)).toBe('▄▄▄');
    expect(bar(0.5, 10)).toBe('█████░░░░░');
    expect(bar(2, 4)).toBe('████');
    expect(bar(null, 4)).toBe('····');
  });

  it('shortens decimals by truncation, never rounding', () => {
    expect(places('23185.629', 2)).toBe('23185.62');
    expect(places('-0.01488000', 2)).toBe('-0.01');
    expect(places('7', 2)).toBe('7.00');
  });

  it('matrix is green; plain is for light terminals; NO_COLOR (even empty) turns colour off', () => {
    expect(themeOf('matrix', false).text).toBe('green');
    expect(themeOf('plain', false).text).toBe('black');
    expect(themeOf('matrix', true)).toEqual({ name: 'matrix', mono: true });
    expect(noColorIn({ NO_COLOR: '' })).toBe(true);
    expect(noColorIn({})).toBe(false);
  });
});

describe('the command line', () => {
  it('takes WARDEN_TOKEN, else WARDEN_API_KEY, else nothing (then it asks)', () => {
    expect(credentialFromEnv({ WARDEN_TOKEN: 'tok', WARDEN_API_KEY: 'key' })).toBe('tok');
    expect(credentialFromEnv({ WARDEN_API_KEY: ' key ' })).toBe('key');
    expect(credentialFromEnv({ WARDEN_TOKEN: '' })).toBeUndefined();
  });

  it('reads the theme from --theme or tui.theme of the config; refuses an unknown one', () => {
    expect(themeFrom({})).toBe('matrix');
    expect(themeFrom({ config: 'x.yaml' }, () => 'tui:\n  theme: plain\n')).toBe('plain');
    expect(themeFrom({ theme: 'plain', config: 'x.yaml' }, () => 'tui:\n  theme: matrix\n')).toBe('plain');
    expect(() => themeFrom({ theme: 'neon' })).toThrow('--theme: must be matrix or plain, got "neon"');
    expect(() => themeFrom({ config: 'x.yaml' }, () => 'tui:\n  theme: 3\n')).toThrow(/tui.theme must be matrix or plain/);
  });
});

describe('state from the stream', () => {
  it('applies each record once, by sequence; a kill switch halts the header at once', () => {
    const hello = reduce(EMPTY_DASH, { kind: 'stream', message: { type: 'hello', lastSeq: 10 } }, 0);
    expect(hello.lastSeq).toBe(10);
    const old = reduce(hello, { kind: 'stream', message: { type: 'event', seq: 10, event: { kind: 'KillSwitchEngaged', operator: 'user:tom', reason: 'x' } } }, 0);
    expect(old).toBe(hello);
    const halted = reduce(hello, { kind: 'stream', message: { type: 'event', seq: 11, event: { kind: 'KillSwitchEngaged', operator: 'user:tom', reason: 'x' } } }, 0);
    expect(tradingState(halted)).toBe('HALTED');
    expect(halted.activity?.text).toBe('KILL SWITCH engaged by user:tom: x');
  });

  it('keeps the first last price (change is from it) and a bounded history for the sparkline', () => {
    let s = EMPTY_DASH;
    for (let i = 0; i < 70; i++) s = reduce(s, { kind: 'stream', message: { type: 'market', instrumentId: 'X', last: String(100 + i), ts: i } }, 0);
    const m = s.market.get('X')!;
    expect(m.first).toBe('100');
    expect(m.last).toBe('169');
    expect(m.history).toHaveLength(60);
  });

  it('says which REST parts a record makes stale (no timer re-reads anything)', () => {
    expect(staleAfter({ kind: 'OrderFilled' })).toEqual(['orders', 'positions', 'accounts', 'overview', 'risk']);
    expect(staleAfter({ kind: 'OrderAccepted' })).toEqual(['orders']);
    expect(staleAfter({ kind: 'AuditRecorded', outcome: 'OK', action: 'POST /api/strategies/:id/pause' })).toEqual(['strategies']);
    expect(staleAfter({ kind: 'AuditRecorded', outcome: 'OK', action: 'auth.login' })).toEqual([]);
  });
});
