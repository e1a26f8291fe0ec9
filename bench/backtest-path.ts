/**
 * A child of the backtest bench: runs one path (`engine` = bench/backtest-engine-only.ts, `node` =
 * runBacktest through the TradingNode) over the bench's bars in this process alone, once to warm
 * up on a tenth of the bars and once measured, and prints one JSON line.
 */
import { instrumentId } from '../src/model/identifiers.ts';
import { engineOnly, readRows, throughNode } from './backtest.ts';

const which = process.argv[2];
const total = Number(process.argv[3]);
if ((which !== 'engine' && which !== 'node') || !Number.isSafeInteger(total) || total < 1) {
  console.error('usage: backtest-path.ts engine|node BARS');
  process.exit(2);
}
const id = instrumentId('BTCUSDT.BINANCEUS');
const rows = readRows();
const run = async (n: number) => {
  if (which === 'engine') return engineOnly(rows, n, id);
  const r = await throughNode(rows, n, id);
  return { barsPerSec: Math.round(n / r.secs), trades: r.result.trades.length, finalEquity: r.result.finalEquity };
};
await run(Math.max(1, Math.floor(total / 10)));
(globalThis as { gc?: () => void }).gc?.();
console.log(JSON.stringify(await run(total)));
