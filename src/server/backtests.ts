/** Backtests run in worker threads (src/server/backtest-worker.ts): their state, progress, result and report. */
export type BacktestState = 'running' | 'done' | 'failed';

export interface BacktestInfo {
  readonly id: string;
  readonly strategy: string;
  readonly params: Readonly<Record<string, string>>;
  readonly state: BacktestState;
  readonly progress: number;
  readonly startedAt: number;
  readonly result?: Readonly<Record<string, unknown>>;
  readonly error?: string;
}

export interface BacktestRequest {
  readonly strategy: string;
  readonly params: Readonly<Record<string, string>>;
  /** A CSV of bars (a file name in the node's market data folder); default the node's first replayed file. */
  readonly data?: string;
}

export interface Backtests {
  start(req: BacktestRequest, by: string): BacktestInfo;
  list(): BacktestInfo[];
  get(id: string): BacktestInfo | undefined;
  report(id: string): string | undefined;
  close(): Promise<void>;
}
