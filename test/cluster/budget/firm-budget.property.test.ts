/**
 * The firm budget against the real KV bucket (shared NATS): three budget clients on three
 * connections reserve, release and fill concurrently in random interleavings. Whatever the order,
 * the lines of all nodes never sum past the firm limit, no node uses more than its line, and once
 * everything is released each node's line is exactly its holdings (every release accounted).
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NatsConnection } from '@nats-io/transport-node';
import type { KV } from '@nats-io/kv';
import { FirmBudget } from '../../../src/cluster/budget/firm-budget.ts';
import { effectiveLine, type FirmLimits } from '../../../src/cluster/budget/ledger.ts';
import { LedgerStore } from '../../../src/cluster/budget/ledger-store.ts';
import { connectNats, openBucket } from '../../../src/cluster/budget/nats-link.ts';
import { natsAvailable, NATS_URL, useService } from '../../services.ts';
import { amountOf, seeded } from './support.ts';

const BUCKET = `budget_prop_${process.pid}`;
const LIMIT = amountOf('1000');
const INST = 'X.SIM';
const limits: FirmLimits = { gross: LIMIT, net: new Map([[INST, amountOf('600')]]) };

type Op = { readonly node: number; readonly kind: 'reserve'; readonly qty: number; readonly side: 'BUY' | 'SELL' } | { readonly node: number; readonly kind: 'release' | 'fill'; readonly pick: number };

const opArb: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ node: fc.integer({ min: 0, max: 2 }), kind: fc.constant('reserve' as const), qty: fc.integer({ min: 1, max: 40 }), side: fc.constantFrom('BUY' as const, 'SELL' as const) }),
  fc.record({ node: fc.integer({ min: 0, max: 2 }), kind: fc.constantFrom('release' as const, 'fill' as const), pick: fc.nat() }),
);

describe.runIf(useService('NATS', await natsAvailable()))('firm budget on the real KV, three clients', () => {
  const conns: NatsConnection[] = [];
  const kvs: KV[] = [];
  beforeAll(async () => {
    for (let i = 0; i < 3; i++) {
      const nc = await connectNats(NATS_URL, `prop-${i}`);
      conns.push(nc);
      kvs.push(await openBucket(nc, BUCKET));
    }
  });
  afterAll(async () => {
    await kvs[0]?.destroy().catch(() => undefined);
    for (const nc of conns) await nc.close();
  });

  for (const chunk of ['0', '50']) {
    it(`the lines never sum past the limit and every release is accounted (credit chunk ${chunk})`, async () => {
      let run = 0;
      await fc.assert(
        fc.asyncProperty(fc.array(fc.array(opArb, { minLength: 1, maxLength: 4 }), { minLength: 1, maxLength: 8 }), fc.integer(), async (rounds, seed) => {
          const firm = `f${chunk}x${run++}`;
          let t = Date.UTC(2026, 0, 5);
          const random = seeded(seed);
          const nodes = kvs.map((kv, i) => new FirmBudget({ nodeId: `n${i}`, store: new LedgerStore(kv, firm, { random }), limits, chunk: amountOf(chunk), leaseMs: 60_000, now: () => t, timer: false }));
          for (const n of nodes) await n.start();
          const open: { id: string; side: 'BUY' | 'SELL' }[][] = [[], [], []];
          let id = 0;
          const step = async (op: Op): Promise<void> => {
            const node = nodes[op.node]!;
            const mine = open[op.node]!;
            if (op.kind === 'reserve') {
              const oid = `o${id++}`;
              const v = await node.reserve(oid, { instrumentId: INST, side: op.side, quantity: { raw: BigInt(op.qty), precision: 0 }, price: { raw: 10n, precision: 0 } });
              if (v === undefined) mine.push({ id: oid, side: op.side });
              else expect(['FIRM_BUDGET_EXCEEDED', 'FIRM_NET_BUDGET_EXCEEDED']).toContain(v.code);
              return;
            }
            const o = mine.splice(op.pick % Math.max(1, mine.length), 1)[0];
            if (o === undefined) return;
            if (op.kind === 'release') node.release(o.id);
            else {
              // One unit fills (the holding moves at the order's price), then the rest is canceled.
              node.filled(o.id, { raw: 1n, precision: 0 });
              node.settle(INST, o.side, { raw: 1n, precision: 0 }, { raw: 10n, precision: 0 });
              node.release(o.id);
            }
          };
          for (const round of rounds) {
            await Promise.all(round.map(step));
            t += 10;
            await invariant(nodes, new LedgerStore(kvs[0]!, firm, { random }), t);
          }
          for (let i = 0; i < 3; i++) for (const o of open[i]!) nodes[i]!.release(o.id);
          for (const n of nodes) await n.sync();
          const { ledger } = await new LedgerStore(kvs[0]!, firm, { random }).read();
          for (let i = 0; i < 3; i++) {
            const e = ledger.nodes.get(`n${i}`)!;
            expect(nodes[i]!.book.workingCount).toBe(0);
            // Released reservations are all handed back: beyond the holdings only a chunk's slack may stay.
            expect(e.line.gross - e.held.gross).toBeLessThanOrEqual(2n * amountOf(chunk));
            expect(e.held.gross).toBe(nodes[i]!.book.held(new Set()).gross);
          }
        }),
        { numRuns: 12 },
      );
    }, 120_000);
  }
});

async function invariant(nodes: readonly FirmBudget[], store: LedgerStore, now: number): Promise<void> {
  const { ledger } = await store.read();
  let gross = 0n;
  let long = 0n;
  for (const e of ledger.nodes.values()) {
    const line = effectiveLine(e, now).exposure;
    gross += line.gross;
    long += line.long.get(INST) ?? 0n;
  }
  expect(gross).toBeLessThanOrEqual(LIMIT);
  expect(long).toBeLessThanOrEqual(amountOf('600'));
  for (const n of nodes) {
    const use = n.book.usage(new Set([INST]));
    expect(use.gross).toBeLessThanOrEqual(n.state.line.gross);
  }
}
