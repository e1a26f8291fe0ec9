import { Command } from 'commander';
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

program.parseAsync(process.argv).catch((e: unknown) => {
  const err = e as { code?: string; message?: string };
  console.error(err.code ? `${err.code}: ${err.message ?? ''}` : String(e));
  process.exitCode = 1;
});
