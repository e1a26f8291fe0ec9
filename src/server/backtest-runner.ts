import { randomBytes } from 'node:crypto';
import { Worker } from 'node:worker_threads';
import type { Logger } from 'pino';
import type { Currency } from '../model/currency.ts';
import { LookupError, ValidationError } from '../model/errors.ts';
import type { ExplicitInstrumentConfig } from '../node/config/index.ts';
import type { TradingNode } from '../node/trading-node.ts';
import { STRATEGIES } from '../strategies/index.ts';
import type { BacktestJob, WorkerMessage } from './backtest-worker.ts';
import type { BacktestInfo, BacktestRequest, Backtests } from './backtests.ts';
import { wallNow } from './wall.ts';

const WORKER = new URL('./backtest-worker.ts', import.meta.url);
const TSX_API = import.meta.resolve('tsx/esm/api');
/** Finished backtests kept (oldest dropped first). */
const KEEP = 50;
/** Backtests at once: the node's own thread stays free; the machine is shared. */
const AT_ONCE = 2;

interface Run {
  info: BacktestInfo;
  html: string | undefined;
  worker: Worker | undefined;
}

const ref = (c: Currency) => ({ code: c.code, precision: c.precision, kind: c.kind });

/** Backtests of the node's strategies on its replayed data, each in a worker thread (never on the node's event loop). */
export class WorkerBacktests implements Backtests {
  private readonly runs = new Map<string, Run>();

  constructor(
    private readonly node: TradingNode,
    private readonly logger: Logger,
  ) {}

  start(req: BacktestRequest, by: string): BacktestInfo {
    if (!STRATEGIES[req.strategy]) throw new ValidationError('INVALID_FIELD', `unknown strategy ${req.strategy} (${Object.keys(STRATEGIES).join(', ')})`, { field: 'body.strategy', input: req.strategy });
    const replay = this.node.config.data.replay;
    const source = req.data === undefined ? replay[0] : replay.find((r) => r.file.endsWith(`/${req.data ?? ''}`) || r.file === req.data);
    if (!source) throw new ValidationError('INVALID_FIELD', `no replayed data file ${req.data ?? ''} in this node (${replay.map((r) => r.file.split('/').pop() ?? r.file).join(', ') || 'none'})`, { field: 'body.data' });
    const running = [...this.runs.values()].filter((r) => r.info.state === 'running').length;
    if (running >= AT_ONCE) throw new ValidationError('INVALID_FIELD', `${running} backtests are running: wait for one to finish`, { field: 'backtests' });
    const inst = this.node.engine.instrument(source.instrumentId);
    const instrument: ExplicitInstrumentConfig = {
      id: inst.id,
      kind: inst.kind,
      quote: ref(inst.quote),
      settlement: ref(inst.settlement),
      ...(inst.base ? { base: ref(inst.base) } : {}),
      tick_size: inst.tickSize.toString(),
      lot_size: inst.lotSize.toString(),
    };
    const cash = this.node.engine.portfolio.allAccounts()[0]?.balances()[0]?.total.toDecimalString() ?? '100000';
    const job: BacktestJob = { strategy: req.strategy, params: { ...req.params }, source, instrument, cash };
    const id = `bt-${wallNow().toString(36)}-${randomBytes(3).toString('hex')}`;
    const run: Run = { info: { id, strategy: req.strategy, params: { ...req.params }, state: 'running', progress: 0, startedAt: wallNow() }, html: undefined, worker: undefined };
    // The worker is TypeScript: it registers tsx's loader first (a worker does not inherit the parent's module hooks).
    const boot = `import(${JSON.stringify(TSX_API)}).then((m) => { m.register(); return import(${JSON.stringify(WORKER.href)}); })`;
    const worker = new Worker(boot, { eval: true, workerData: job });
    run.worker = worker;
    worker.on('message', (m: WorkerMessage) => {
      if (m.kind === 'progress') run.info = { ...run.info, progress: m.progress };
      else if (m.kind === 'done') {
        run.info = { ...run.info, state: 'done', progress: 1, result: m.summary };
        run.html = m.html;
      } else run.info = { ...run.info, state: 'failed', error: m.error };
    });
    worker.on('error', (e) => {
      run.info = { ...run.info, state: 'failed', error: e.message };
    });
    worker.on('exit', () => {
      run.worker = undefined;
      if (run.info.state === 'running') run.info = { ...run.info, state: 'failed', error: 'the worker exited before it finished' };
    });
    this.logger.info({ backtest: id, strategy: req.strategy, by }, 'backtest started');
    this.runs.set(id, run);
    this.prune();
    return run.info;
  }

  private prune(): void {
    const done = [...this.runs.values()].filter((r) => r.info.state !== 'running');
    for (const r of done.slice(0, Math.max(0, done.length - KEEP))) this.runs.delete(r.info.id);
  }

  list(): BacktestInfo[] {
    return [...this.runs.values()].map((r) => ({ ...r.info, result: undefined }));
  }

  get(id: string): BacktestInfo | undefined {
    return this.runs.get(id)?.info;
  }

  report(id: string): string | undefined {
    const r = this.runs.get(id);
    if (!r) throw new LookupError('UNKNOWN_ORDER', `no backtest ${id}`, { id });
    return r.html;
  }

  async close(): Promise<void> {
    await Promise.all([...this.runs.values()].flatMap((r) => (r.worker ? [r.worker.terminate()] : [])));
  }
}
