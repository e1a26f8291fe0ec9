import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { errorLine } from '../../src/cli/flags.ts';

const ROOT = new URL('../../', import.meta.url).pathname;
const BTC = new URL('../../../shared/data/market/binanceus-BTCUSDT-1m-2023-03-01_21.csv', import.meta.url).pathname;
const TMP = mkdtempSync(join(tmpdir(), 'warden-cli-'));
const HEADER_ONLY = join(TMP, 'header-only.csv');
writeFileSync(HEADER_ONLY, 'open_time,open,high,low,close,volume\n');
const A_FILE = join(TMP, 'a-file');
writeFileSync(A_FILE, 'not a directory\n');

/** Runs `warden ...args` in a child process: exit code and stderr. */
function warden(...args: string[]): Promise<{ code: number; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], { cwd: ROOT, timeout: 60_000 }, (err, _stdout, stderr) => {
      resolve({ code: err ? ((err as { code?: number }).code ?? -1) : 0, stderr: stderr.toString() });
    });
  });
}

const OUT = join(TMP, 'out');
const run = (cmd: string, ...extra: string[]): string[] => [cmd, '--strategy', 'sma-cross', '--out', OUT, '--json', '--to', '2023-03-01T03:00', ...extra];
const bt = (...extra: string[]) => run('backtest', '--data', BTC, ...extra);

/** [what, argv, the whole first line of stderr] */
const CASES: [string, string[], string][] = [
  ['a missing data file', run('backtest', '--data', '/nope/bars.csv@BTCUSDT.BINANCE'), 'INVALID_FIELD: --data: no such file: /nope/bars.csv'],
  ['a directory as data', run('backtest', '--data', `${TMP}@BTCUSDT.BINANCE`), `INVALID_FIELD: --data: ${TMP} is a directory, not a file`],
  ['a header-only file (0 bars)', run('backtest', '--data', `${HEADER_ONLY}@BTCUSDT.BINANCE`), `INVALID_FIELD: --data: no bars in ${HEADER_ONLY} between --from (start) and --to 2023-03-01T03:00:00.000Z`],
  ['a range with no bars', bt('--from', '2030-01-01', '--to', '2030-02-01'), `INVALID_FIELD: --data: no bars in ${BTC} between --from 2030-01-01T00:00:00.000Z and --to 2030-02-01T00:00:00.000Z`],
  ['--cash 0', bt('--cash', '0'), 'INVALID_FIELD: --cash: must be a decimal number above 0, got "0"'],
  ['--cash -5', bt('--cash', '-5'), 'INVALID_FIELD: --cash: must be a decimal number above 0, got "-5"'],
  ['--fee-bps -1', bt('--fee-bps', '-1'), 'INVALID_FIELD: --fee-bps: must be a decimal number ≥ 0, got "-1"'],
  ['--from after --to', bt('--from', '2023-03-05'), 'INVALID_FIELD: --from: 2023-03-05 is not before --to 2023-03-01T03:00: no bar can be in range'],
  ['bad --slippage JSON', bt('--slippage', '{"model":'), 'INVALID_FIELD: --slippage: not valid JSON: Unexpected end of JSON input'],
  ['an unknown --slippage model', bt('--slippage', 'foo'), 'INVALID_FIELD: --slippage: model: unknown slippage model "foo"; known: none, fixed_bps, spread, volume_share, sqrt_impact, volatility, percent'],
  ['--out under a file', bt('--out', join(A_FILE, 'x')), `INVALID_FIELD: --out: cannot create ${join(A_FILE, 'x')}: ${A_FILE} is not a directory`],
  ['--tick abc', bt('--tick', 'abc'), 'INVALID_FIELD: --tick: must be a decimal number above 0, got "abc"'],
  ['--lot 0', bt('--lot', '0'), 'INVALID_FIELD: --lot: must be a decimal number above 0, got "0"'],
  ['--periods-per-year Infinity', bt('--periods-per-year', 'Infinity'), 'INVALID_FIELD: --periods-per-year: must be a finite number above 0, got "Infinity"'],
  ['a missing --risk file', bt('--risk', '/nope/risk.yaml'), "INVALID_FIELD: --risk: /nope/risk.yaml: cannot read the risk file: ENOENT: no such file or directory, open '/nope/risk.yaml'"],
  ['--param fast=abc', bt('--param', 'fast=abc'), 'INVALID_FIELD: --param: sma-cross fast must be a number, got "abc"'],
  ['sweep: a grid the strategy refuses whole', run('sweep', '--data', BTC, '--grid', 'fast=abc'), 'INVALID_FIELD: --grid: the strategy refused every combination, e.g. fast=abc: sma-cross fast must be a number, got "abc"'],
  ['walk-forward: --cash 0', run('walk-forward', '--data', BTC, '--grid', 'fast=5', '--in-sample', '1h', '--out-of-sample', '1h', '--cash', '0'), 'INVALID_FIELD: --cash: must be a decimal number above 0, got "0"'],
  ['monte-carlo: --trades-per-path abc', run('monte-carlo', '--data', BTC, '--trades-per-path', 'abc'), 'INVALID_FIELD: --trades-per-path: must be a whole number ≥ 1, got "abc"'],
  ['monte-carlo: --paths 1e9 (a run that would never end)', run('monte-carlo', '--data', BTC, '--paths', '1000000000'), 'INVALID_FIELD: --paths: must be at most 1,000,000, got "1000000000"'],
  ['monte-carlo: a header-only file', run('monte-carlo', '--data', `${HEADER_ONLY}@BTCUSDT.BINANCE`), `INVALID_FIELD: --data: no bars in ${HEADER_ONLY} between --from (start) and --to 2023-03-01T03:00:00.000Z`],
  ['paper: a missing data file', ['paper', '--data', '/nope/bars.csv@BTCUSDT.BINANCE'], 'INVALID_FIELD: --data: no such file: /nope/bars.csv'],
  ['paper: a file naming no instrument', ['paper', '--data', '/nope/bars.csv'], 'INVALID_FIELD: --data: cannot name the instrument of /nope/bars.csv: call the file VENUE-SYMBOL-... or write /nope/bars.csv@SYMBOL.VENUE'],
  ['paper: --speed 0', ['paper', '--data', BTC, '--speed', '0'], 'INVALID_FIELD: --speed: must be a finite number above 0, got "0"'],
  ['paper: --bars abc', ['paper', '--data', BTC, '--bars', 'abc'], 'INVALID_FIELD: --bars: must be a whole number ≥ 1, got "abc"'],
  ['paper: --balance -5', ['paper', '--data', BTC, '--balance', '-5'], 'INVALID_FIELD: --balance: must be a decimal number above 0, got "-5"'],
  ['paper: an unknown --strategy', ['paper', '--data', BTC, '--strategy', 'nope'], 'INVALID_FIELD: --strategy: unknown strategy "nope"; built in: sma-cross, macd, rsi-momentum, bollinger-reversion, volatility-breakout, pairs, cross-venue-arbitrage, random-forest, lstm-prediction, q-learning, sentiment, kalman-mean-reversion, earnings-play, volatility-regime, statistical-arbitrage, triangular-arbitrage'],
  ['paper: --param fast=abc', ['paper', '--data', BTC, '--param', 'fast=abc'], 'INVALID_FIELD: --param: sma-cross fast must be a number, got "abc"'],
  ['paper: --param fast above slow', ['paper', '--data', BTC, '--param', 'fast=30', '--param', 'slow=10'], 'INVALID_FIELD: --param: sma-cross slow must be a whole number > fast (30), got 10'],
  ['paper: --cash 0', ['paper', '--data', BTC, '--cash', '0'], 'INVALID_FIELD: --cash: must be a decimal number above 0, got "0"'],
  ['paper: --cash and --balance', ['paper', '--data', BTC, '--cash', '1', '--balance', '2'], 'INVALID_FIELD: --balance: is the older name of --cash: give one of them'],
  ['paper: --fee-bps -1', ['paper', '--data', BTC, '--fee-bps', '-1'], 'INVALID_FIELD: --fee-bps: must be a decimal number ≥ 0, got "-1"'],
  ['paper: --tick 0', ['paper', '--data', BTC, '--tick', '0'], 'INVALID_FIELD: --tick: must be a decimal number above 0, got "0"'],
  ['paper: an unknown --slippage model', ['paper', '--data', BTC, '--slippage', 'bogus'], 'INVALID_FIELD: --slippage: model: unknown slippage model "bogus"; known: none, fixed_bps, spread, volume_share, sqrt_impact, volatility, percent'],
  ['paper: --instrument with two --data files', ['paper', '--data', BTC, '--data', BTC, '--instrument', 'BTCUSDT.X'], 'INVALID_FIELD: --instrument: names the instrument of one --data file; with several, write each as FILE@SYMBOL.VENUE'],
  ['paper: a missing --risk file', ['paper', '--data', BTC, '--risk', '/nope/risk.yaml'], "INVALID_FIELD: --risk: /nope/risk.yaml: cannot read the risk file: ENOENT: no such file or directory, open '/nope/risk.yaml'"],
  ['paper: --instrument nope', ['paper', '--data', BTC, '--instrument', 'nope'], 'INVALID_IDENTIFIER: --instrument: instrument id must be SYMBOL.VENUE, got "nope"'],
];

describe('warden CLI: bad flags exit 1 with one line naming the flag, never a stack trace', () => {
  for (const [what, argv, line] of CASES) {
    it.concurrent(`${what}: ${line}`, async () => {
      const { code, stderr } = await warden(...argv);
      expect(code).toBe(1);
      expect(stderr.trim().split('\n')).toEqual([line]);
    });
  }

  it('prints a system error code once: "ENOTDIR: not a directory", not "ENOTDIR: ENOTDIR: …"', () => {
    const e = Object.assign(new Error("ENOTDIR: not a directory, mkdir '/etc/passwd/x'"), { code: 'ENOTDIR' });
    expect(errorLine(e)).toBe("ENOTDIR: not a directory, mkdir '/etc/passwd/x'");
    expect(errorLine(Object.assign(new Error('cash is not a decimal number'), { code: 'INVALID_NUMBER' }))).toBe('INVALID_NUMBER: cash is not a decimal number');
  });
});
