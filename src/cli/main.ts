import { Command } from 'commander';
import { runDemo } from './demo.ts';

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

program.parseAsync(process.argv).catch((e: unknown) => {
  const err = e as { code?: string; message?: string };
  console.error(err.code ? `${err.code}: ${err.message ?? ''}` : String(e));
  process.exitCode = 1;
});
