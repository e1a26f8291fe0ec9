/**
 * One book of the risk bench in its own process (bench/risk.ts forks it): builds the book of
 * `argv[2]` open orders, says it is ready, then runs one round per message and sends it back.
 */
import { prepare, round } from './risk-book.ts';

const book = await prepare(Number(process.argv[2]));
process.on('message', (m: { iterations: number }) => process.send!(round(book, m.iterations)));
process.send!({ ready: true });
