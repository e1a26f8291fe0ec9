import { setTimeout as sleep } from 'node:timers/promises';
import { RealTimer } from '../execution/timer.ts';
import { Currencies } from '../model/currency.ts';
import { instrumentId } from '../model/identifiers.ts';
import { openBars, requireBars, resolveDataArg, type DataEntry, type DataFormatCliOptions } from './data-flags.ts';
import { bad, positiveDecimal, positiveNumber, underFlag, wholeNumber } from './flags.ts';
import { loadRiskConfig } from '../risk/config/load.ts';
import type { RiskConfig } from '../risk/config/types.ts';
import { ReplayClock } from '../venues/sim/replay/replay-clock.ts';
import { openPaperSession, runPaper, SmaCrossDemo } from '../venues/sim/replay/paper-session.ts';

export interface PaperCliOptions extends DataFormatCliOptions {
  data: string;
  speed: string;
  instrument: string;
  bars?: string;
  balance: string;
  fast: string;
  slow: string;
  quantity: string;
  /** Risk file: pre-trade gate, breakers and kill switch, their cancels chased until the venue confirms. */
  risk?: string;
}

/** First bar time of a file, to start the replay clock there. */
async function firstBarTime(entry: DataEntry): Promise<number> {
  for await (const bar of openBars(entry)) return bar.ts;
  throw bad('data', `no bars in ${entry.file}`);
}

/** Every flag checked before the session opens, each error naming its flag. */
function checkFlags(o: PaperCliOptions): { entry: DataEntry; speed: number; maxBars: number | undefined; fast: number; slow: number; risk: RiskConfig | undefined } {
  const id = underFlag('instrument', () => instrumentId(o.instrument));
  const entry = resolveDataArg(o.data, o, id);
  requireBars(entry, 'paper');
  const speed = positiveNumber('speed', o.speed);
  const maxBars = o.bars === undefined ? undefined : wholeNumber('bars', o.bars, 1);
  positiveDecimal('balance', o.balance);
  positiveDecimal('quantity', o.quantity);
  const fast = wholeNumber('fast', o.fast, 1);
  const slow = wholeNumber('slow', o.slow, 1);
  if (fast >= slow) throw bad('fast', `must be below --slow (${slow}), got ${fast}`);
  const risk = o.risk === undefined ? undefined : underFlag('risk', () => loadRiskConfig(o.risk!));
  return { entry, speed, maxBars, fast, slow, risk };
}

/**
 * `warden paper --data FILE --speed 60`: paper trading on the wall clock against the simulated
 * exchange (behind a PAPER executor, as a live venue would be), fed by a replayed bar file
 * `speed` times faster than real time.
 */
export async function runPaperCli(o: PaperCliOptions, print: (line: string) => void = console.log): Promise<void> {
  const { entry, speed, maxBars, fast, slow, risk } = checkFlags(o);
  const start = await firstBarTime(entry);
  const clock = new ReplayClock(start, speed, () => Date.now());
  // The executor waits (report timeouts, backoff) in wall time, as for a live venue, not in the replay's faster time.
  const session = await openPaperSession({ clock, timer: new RealTimer(), instrumentId: o.instrument, accountId: 'PAPER', balance: o.balance, ...(risk ? { risk } : {}) });
  const { engine, executor, instrument } = session;
  underFlag('quantity', () => instrument.quantity(o.quantity));
  engine.bus.subscribe('order', (e) => {
    if (e.kind === 'OrderFilled') {
      print(`${new Date(e.tsEvent).toISOString()} ${e.side} ${e.lastQty.toString()} @ ${e.lastPx.toString()} fee ${e.commission.toString()}`);
    }
  });
  engine.bus.subscribe('alert', (a) => print(`ALERT ${a.code}: ${a.message}`));
  const controller = new AbortController();
  const stop = () => controller.abort();
  process.once('SIGINT', stop);
  print(`paper: ${entry.file} at ${speed}x from ${new Date(start).toISOString()}; Ctrl-C stops`);
  const { bars } = await runPaper({
    ...session,
    clock,
    bars: openBars(entry),
    strategy: new SmaCrossDemo(fast, slow, o.quantity),
    ...(maxBars !== undefined ? { maxBars } : {}),
    sleep: (ms) => sleep(ms, undefined, { signal: controller.signal }).catch(() => undefined),
    signal: controller.signal,
  });
  process.off('SIGINT', stop);
  const pf = engine.portfolio;
  print(`paper: ${bars} bars replayed`);
  for (const p of pf.allPositions()) print(`  position ${p.id} ${p.side} ${p.quantity.toString()} realized ${p.realizedPnl.toString()} unrealized ${pf.unrealizedPnl(p).toString()}`);
  print(`  equity ${pf.equity(pf.allAccounts()[0]!.id, Currencies.USDT).toString()}`);
  const st = executor.statistics();
  const slip = Number.isNaN(st.averageSlippageBps) ? 'n/a' : `${st.averageSlippageBps.toFixed(2)} bps`;
  print(`  executor (PAPER): ${st.executions.SUBMIT} submits, ${st.settled} settled (${st.bySettlement.ACK} by the venue's report), ${st.unknowns} went unknown, average slippage ${slip}`);
}
