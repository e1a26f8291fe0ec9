import { Command } from 'commander';
import { runMonteCarloCli, runSweepCli, runWalkForwardCli, type MonteCarloCliOptions, type SweepCliOptions, type WalkForwardCliOptions } from './analyses.ts';
import { runBacktestCli, type BacktestCliOptions } from './backtest.ts';
import { runConfigBacktestCli } from './backtest-config.ts';
import { runVenuesCheckCli, type VenuesCheckOptions } from './venues-check.ts';
import { runConfigCheckCli, type ConfigCheckOptions } from './config-check.ts';
import { runDemo } from './demo.ts';
import { runStrategiesCli } from './strategies.ts';
import { runPaperCli, type PaperCliOptions } from './paper.ts';
import { addDataFormatOptions } from './data-flags.ts';
import { runNodeCli, type RunCliOptions } from './run.ts';
import { bad, errorLine } from './flags.ts';
import { addRunOptions, collect } from './run-options.ts';
import { addAuthCommands } from './auth-commands.ts';
import { addFirmCommands } from './firm.ts';
import type { TuiCliOptions } from './tui.ts';
import type { AdviseCliOptions, AdviseTask } from './advise.ts';
import { SWEEP_METRICS } from '../backtest/sweep.ts';
import { STRATEGIES } from '../strategies/index.ts';

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

addDataFormatOptions(program
  .command('paper')
  .description('paper trading: a trading node (warden run) built from these flags, the strategy on simulated venues fed by replayed files on the wall clock, with the risk stack of --risk')
  .requiredOption('--data <file[@SYMBOL.VENUE][#key=value]>', 'bars (repeatable; .gz allowed; trades with --bar-interval); the instrument comes from @SYMBOL.VENUE or the file name VENUE-SYMBOL-...', collect, []))
  .option('--strategy <name>', `built-in strategy: ${Object.keys(STRATEGIES).join(', ')}`, 'sma-cross')
  .option('--param <k=v>', 'strategy parameter (repeatable), e.g. fast=10 slow=30 fraction=0.95', collect, [])
  .option('--risk <file>', 'risk config (YAML/JSON): pre-trade gate, circuit breakers and kill switch, risk cancels chased until confirmed')
  .option('--speed <n|max>', 'data seconds per wall second, or max', '60')
  .option('--cash <n>', 'starting cash in the quote currency (default 100000)')
  .option('--balance <n>', 'older name of --cash')
  .option('--fee-bps <n>', 'maker and taker fee in basis points of notional', '10')
  .option('--slippage <model>', 'slippage model: none, fixed_bps:bps=5, or JSON {"model":...}')
  .option('--tick <x>', 'tick size (default 0.01 for crypto pairs)')
  .option('--lot <x>', 'lot size (default 0.00001 for crypto pairs)')
  .option('--instrument <id>', 'instrument id SYMBOL.VENUE of the one --data file (instead of @SYMBOL.VENUE or the file name)')
  .option('--bars <n>', 'stop after this many steps')
  .option('--journal <file>', 'SQLite journal to keep; a second run with the same flags resumes from it (default: a new one in the temp folder)')
  .option('--status-every <n>', 'print a status line every n steps', '1000')
  .option('--log-level <level>', 'node log level on stderr: trace, debug, info, warn, error, fatal, silent', 'warn')
  .action(async (o: PaperCliOptions) => {
    await runPaperCli(o);
  });

program
  .command('strategies')
  .description('list the built-in strategies by family, each with a one-line description and its parameters with their defaults')
  .action(() => {
    runStrategiesCli();
  });

program
  .command('run')
  .description('run a trading node from a config file (warden.yaml): paper trading on replayed data with the risk stack and the strategies it names')
  .requiredOption('--config <file>', 'node config (YAML or JSON; see examples/warden.paper.yaml)')
  .option('--status-every <n>', 'print a status line every n steps', '1000')
  .option('--allow-mismatch', 'open a journal written by another code version or configuration')
  .action(async (o: RunCliOptions) => {
    await runNodeCli(o);
  });

const backtest = addRunOptions(
  program.command('backtest').description('run a built-in strategy over bar files (or the node of a config file, --config) on the data\'s clock; write a report'),
  'report.html, trades.csv, equity.csv, summary.json',
  'summary.json',
).option('--config <file>', 'run the node of this config file (warden.yaml; its mode set to backtest) instead of --data and --strategy');
// With --config, the file names the data and the strategies: the flags that would are not required.
for (const opt of backtest.options) if (opt.long === '--data' || opt.long === '--strategy') opt.mandatory = false;
backtest.action(async (o: BacktestCliOptions & { config?: string }) => {
  if (o.config !== undefined) {
    await runConfigBacktestCli({ config: o.config, out: o.out, ...(o.json ? { json: true } : {}) });
    return;
  }
  if (o.data.length === 0) throw bad('data', 'give bar files with --data (or a node config with --config)');
  if (o.strategy === undefined) throw bad('strategy', 'name a strategy with --strategy (or a node config with --config)');
  await runBacktestCli(o);
});

const gridHelp = 'parameter values to try (repeatable): name=v1,v2,... or JSON {"name":[v1,v2],...}';
const metricHelp = `metric to rank by, best first: ${SWEEP_METRICS.join(', ')} (maxDrawdown lowest first)`;

addRunOptions(program.command('sweep').description('run a strategy once per combination of a parameter grid and rank the combinations'), 'sweep.csv and sweep.json', 'sweep.json')
  .requiredOption('--grid <name=v1,v2>', gridHelp, collect, [])
  .option('--metric <name>', metricHelp, 'sharpe')
  .action(async (o: SweepCliOptions) => {
    await runSweepCli(o);
  });

addRunOptions(
  program.command('walk-forward').description('optimise over a grid on rolling in-sample windows, test the best on the following out-of-sample windows, stitch the out-of-sample runs'),
  'walk-forward.json and walk-forward-equity.csv',
  'walk-forward.json',
)
  .requiredOption('--grid <name=v1,v2>', gridHelp, collect, [])
  .option('--metric <name>', metricHelp, 'sharpe')
  .requiredOption('--in-sample <len>', 'in-sample window: a duration (7d, 12h, 90m) or bars (500, 500bars)')
  .requiredOption('--out-of-sample <len>', 'out-of-sample window, same kind as --in-sample')
  .option('--step <len>', 'distance between window starts (default: the out-of-sample length; at least that)')
  .action(async (o: WalkForwardCliOptions) => {
    await runWalkForwardCli(o);
  });

addRunOptions(
  program.command('monte-carlo').description('run a backtest, then bootstrap its closed trades\' returns: distribution of final equity and max drawdown (--seed also seeds the bootstrap)'),
  'monte-carlo.json',
  'monte-carlo.json',
)
  .option('--paths <n>', 'number of resampled paths', '1000')
  .option('--trades-per-path <n>', 'trades drawn per path (default: the number of closed trades)')
  .action(async (o: MonteCarloCliOptions) => {
    await runMonteCarloCli(o);
  });

program
  .command('config')
  .description('node configuration (warden.yaml)')
  .command('check')
  .description('validate a node config file as the node would (environment, risk file, data files) and summarise it; every problem one per line, exit 1')
  .requiredOption('--config <file>', 'the node config file', 'warden.yaml')
  .action((o: ConfigCheckOptions) => {
    runConfigCheckCli(o);
  });

program
  .command('venues')
  .description('live venues of a node config')
  .command('check')
  .description('connect to each live venue: load its markets, show the configured instruments as Warden registers them, balances and open orders; places nothing')
  .requiredOption('--config <file>', 'the node config file', 'warden.yaml')
  .action(async (o: VenuesCheckOptions) => {
    await runVenuesCheckCli(o);
  });

addAuthCommands(program);
addFirmCommands(program);

program
  .command('tui')
  .description('terminal dashboard of a running node: reads its event stream, acts through its API with your role (credential: WARDEN_TOKEN or WARDEN_API_KEY, else a login prompt)')
  .option('--url <url>', 'the node\'s API server', 'http://127.0.0.1:8080')
  .option('--theme <name>', 'matrix (green on black) or plain (light terminals); default: tui.theme of --config, else matrix')
  .option('--config <file>', 'YAML file whose tui.theme names the theme')
  .option('--user <name>', 'user name for the login prompt')
  .action(async (o: TuiCliOptions) => {
    // Ink reads CI once at import and, when set, draws nothing until exit (it assumes a log, not a
    // screen); someone who runs `warden tui` at a real terminal must see it whatever CI says.
    if (process.stdout.isTTY) process.env.CI = process.env.CONTINUOUS_INTEGRATION = '0';
    // Ink and React load only for this command.
    const { runTuiCli } = await import('./tui.ts');
    await runTuiCli(o);
  });

const advise = program
  .command('advise')
  .description("ask a running node's AI advisor through its API (credential: WARDEN_TOKEN or WARDEN_API_KEY); advice only: a proposal waits for a trader to confirm it");
const adviseOpts = (c: Command, what: string): Command =>
  c.description(what).option('--url <url>', "the node's API server", 'http://127.0.0.1:8080').option('--json', 'print the whole answer (advice, facts, consultation) as JSON');
const barsHelp = 'recent bars to read (60 to 5000)';
const adviseRun = (task: AdviseTask) => async (o: AdviseCliOptions) => {
  const { runAdviseCli } = await import('./advise.ts');
  await runAdviseCli(task, o);
};
adviseOpts(advise.command('market'), "an instrument's regime, trend strength and volatility level from Warden's features").requiredOption('--instrument <id>', 'instrument id SYMBOL.VENUE').option('--bars <n>', barsHelp).action(adviseRun('market'));
adviseOpts(advise.command('strategies'), "rank the node's strategies on their measured figures; suggestions measured out of sample").option('--strategy <id>', 'only this strategy (repeatable)', collect, []).option('--bars <n>', barsHelp).action(adviseRun('strategies'));
adviseOpts(advise.command('trade'), 'risk assessment of an order ticket (nothing is sent)')
  .requiredOption('--instrument <id>', 'instrument id SYMBOL.VENUE')
  .requiredOption('--side <side>', 'BUY or SELL')
  .requiredOption('--quantity <q>', 'quantity')
  .option('--type <type>', 'order type (default LIMIT with --price, else MARKET)')
  .option('--price <p>', 'limit price')
  .action(adviseRun('trade'));
adviseOpts(advise.command('portfolio'), "concentration, correlation and diversification over Warden's VaR and stress tests").option('--bars <n>', barsHelp).action(adviseRun('portfolio'));
adviseOpts(advise.command('news'), 'sentiment per traded instrument from an RSS/Atom feed, quoting its items').requiredOption('--feed <url|file>', 'feed URL (fetched by the node) or local file (sent as text)').action(adviseRun('news'));
adviseOpts(advise.command('explain'), 'why an order was denied or a breaker tripped, from the journal').option('--order <id>', 'client order id of a denied order').option('--breaker <name>', 'breaker name (its latest trip)').action(adviseRun('explain'));

program.parseAsync(process.argv).catch((e: unknown) => {
  console.error(errorLine(e));
  process.exitCode = 1;
});
