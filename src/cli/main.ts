import { Command } from 'commander';
import { runBacktestCli, type BacktestCliOptions } from './backtest.ts';
import { runDemo } from './demo.ts';
import { runPaperCli, type PaperCliOptions } from './paper.ts';

const program = new Command()
  .name('warden')
  .description('Order management with pre-trade risk controls for algorithmic trading')
  .version('0.1.0');

program
  .command('demo')
  .description('run a few orders through the engine against a scripted venue and print events and positions')
  .action(async () => {
    await runDemo();
  });

program
  .command('paper')
  .description('paper trading: the engine and simulated exchange on the wall clock, fed by a replayed bar file')
  .requiredOption('--data <file>', 'CSV bars with a header (time, open, high, low, close, volume); .gz allowed')
  .option('--speed <n>', 'data seconds per wall second', '60')
  .option('--instrument <id>', 'instrument id SYMBOL.VENUE', 'BTCUSDT.BINANCE')
  .option('--bars <n>', 'stop after this many bars')
  .option('--balance <usdt>', 'starting USDT balance', '100000')
  .option('--fast <n>', 'demo strategy fast SMA', '10')
  .option('--slow <n>', 'demo strategy slow SMA', '30')
  .option('--quantity <q>', 'demo strategy order quantity', '0.1')
  .action(async (o: PaperCliOptions) => {
    await runPaperCli(o);
  });

const collect = (v: string, prev: string[]): string[] => [...prev, v];

program
  .command('backtest')
  .description('run a built-in strategy over bar files through the engine and simulated exchange; write a report')
  .requiredOption('--data <file[@SYMBOL.VENUE]>', 'CSV bars (repeatable); the instrument comes from @SYMBOL.VENUE or the file name VENUE-SYMBOL-...', collect, [])
  .requiredOption('--strategy <name>', 'built-in strategy: sma-cross')
  .option('--param <k=v>', 'strategy parameter (repeatable), e.g. fast=10 slow=30 fraction=0.95', collect, [])
  .option('--cash <n>', 'starting cash in the quote currency', '100000')
  .option('--fee-bps <n>', 'maker and taker fee in basis points of notional', '10')
  .option('--slippage <model>', 'slippage model: none, fixed_bps:bps=5, or JSON {"model":...}')
  .option('--risk <file>', 'risk config (YAML/JSON): pre-trade gate and circuit breakers')
  .option('--from <time>', 'first bar open time, inclusive (ISO 8601 or epoch)')
  .option('--to <time>', 'last bar open time, exclusive (ISO 8601 or epoch)')
  .option('--seed <n>', 'seed for seeded models', '1')
  .option('--tick <x>', 'tick size (default 0.01 for crypto pairs)')
  .option('--lot <x>', 'lot size (default 0.00001 for crypto pairs)')
  .option('--periods-per-year <n>', 'bars per year for annualising (default: inferred from the bar spacing)')
  .requiredOption('--out <dir>', 'directory for report.html, trades.csv, equity.csv, summary.json')
  .option('--json', 'print summary.json only')
  .action(async (o: BacktestCliOptions) => {
    await runBacktestCli(o);
  });

program.parseAsync(process.argv).catch((e: unknown) => {
  const err = e as { code?: string; message?: string };
  console.error(err.code ? `${err.code}: ${err.message ?? ''}` : String(e));
  process.exitCode = 1;
});
