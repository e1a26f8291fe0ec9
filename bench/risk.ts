/**
 * The risk bench: gate checks with every check on, at 10 and at 100,000 open orders. Each book
 * lives in its own child process (bench/risk-child.ts), as a node's gate lives with its own book:
 * in one process, the 10-order case paid for the young-generation collections of the other's
 * 100,000-order heap, which is not a node with 10 orders. Rounds still alternate between the two,
 * one child working while the other waits, so both see the same spells of load.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { median, recordResult } from './results.ts';
import type { Round } from './risk-book.ts';

const GOAL_P99_MICROS = 5;
const GOAL_P999_MICROS = 20;

/** A child holding one book, answering one round per request. */
class BookProcess {
  private readonly child: ChildProcess;
  private waiting: { resolve: (m: unknown) => void; reject: (e: Error) => void } | undefined;
  private readonly ready: Promise<unknown>;

  constructor(open: number) {
    this.child = fork(new URL('./risk-child.ts', import.meta.url), [String(open)], { execArgv: ['--expose-gc', '--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    this.child.on('message', (m) => this.settle()?.resolve(m));
    this.child.on('exit', (code) => this.settle()?.reject(new Error(`the risk bench child for ${open} open orders exited with ${String(code)}`)));
    this.ready = this.next();
  }

  private settle(): BookProcess['waiting'] {
    const w = this.waiting;
    this.waiting = undefined;
    return w;
  }

  private next(): Promise<unknown> {
    return new Promise((resolve, reject) => (this.waiting = { resolve, reject }));
  }

  async round(iterations: number): Promise<Round> {
    await this.ready;
    const answer = this.next();
    this.child.send({ iterations });
    return (await answer) as Round;
  }

  close(): void {
    this.child.kill();
  }
}

/** The median of each figure over the rounds (the machine is shared: one round can land on a busy moment). */
function medianOf(rounds: readonly Round[]): Round {
  return {
    checksPerSec: median(rounds.map((r) => r.checksPerSec)),
    p50: median(rounds.map((r) => r.p50)),
    p99: median(rounds.map((r) => r.p99)),
    p999: median(rounds.map((r) => r.p999)),
  };
}

export async function runRiskBench(): Promise<Record<string, unknown>> {
  const iterations = Number(process.env.BENCH_RISK_CHECKS ?? 400_000);
  const rounds = Number(process.env.BENCH_RISK_ROUNDS ?? 5);
  const smallBook = new BookProcess(10);
  const largeBook = new BookProcess(100_000);
  // Rounds of the two cases interleaved, so that both see the same spells of load.
  const smallRounds: Round[] = [];
  const largeRounds: Round[] = [];
  try {
    for (let r = 0; r < rounds; r++) {
      smallRounds.push(await smallBook.round(iterations));
      largeRounds.push(await largeBook.round(iterations));
    }
  } finally {
    smallBook.close();
    largeBook.close();
  }
  const small = medianOf(smallRounds);
  const large = medianOf(largeRounds);
  const figures = {
    checksPerSec: small.checksPerSec,
    p50Micros: small.p50,
    p99Micros: small.p99,
    p999Micros: small.p999,
    checksPerSecAt100kOpen: large.checksPerSec,
    p50MicrosAt100kOpen: large.p50,
    p99MicrosAt100kOpen: large.p99,
    p999MicrosAt100kOpen: large.p999,
    goalP99Micros: GOAL_P99_MICROS,
    goalP999Micros: GOAL_P999_MICROS,
    slowdownAt100kOpen: Number((large.p99 / small.p99).toFixed(2)),
    iterations,
    rounds,
    p99MicrosRounds: smallRounds.map((r) => r.p99),
    p99MicrosAt100kOpenRounds: largeRounds.map((r) => r.p99),
    p999MicrosRounds: smallRounds.map((r) => r.p999),
    p999MicrosAt100kOpenRounds: largeRounds.map((r) => r.p999),
  };
  console.log(
    `risk: ${small.checksPerSec.toLocaleString('en-US')} checks/s, p50 ${small.p50} µs, p99 ${small.p99} µs, p99.9 ${small.p999} µs at 10 open orders (goal p99 < ${GOAL_P99_MICROS} µs, p99.9 < ${GOAL_P999_MICROS} µs; medians of ${rounds} rounds, each book in its own process)\n` +
      `risk: ${large.checksPerSec.toLocaleString('en-US')} checks/s, p50 ${large.p50} µs, p99 ${large.p99} µs, p99.9 ${large.p999} µs at 100,000 open orders (${figures.slowdownAt100kOpen}x the p99 at 10)`,
  );
  recordResult('risk', figures);
  return figures;
}
