/**
 * Each broker's fake as the node tests start it: the venue config that points the adapter at it,
 * an instrument it lists, prices moving, and a way to fill the resting order while the node is down.
 */
import { expect } from 'vitest';
import type { Instrument } from '../../src/model/instrument.ts';
import { FakeMt5Bridge } from '../support/fake-mt5/fake-bridge.ts';

export interface StartedFixture {
  /** The venue's entry in warden.yaml, pointed at the fake. */
  readonly venueConfig: Record<string, unknown>;
  /** Values that must never reach the journal or the output. */
  readonly secrets: readonly string[];
  /** The broker fills the resting buy limit (the market comes down through it). */
  fillResting(): Promise<void>;
  close(): Promise<void>;
}

export interface BrokerFixture {
  readonly type: string;
  readonly venue: string;
  readonly instrument: string;
  /** The broker's symbol where it is not the id's. */
  readonly symbol?: string;
  readonly accountType: 'CASH' | 'MARGIN';
  /** Starting balances where the broker does not report them. */
  readonly balances?: Readonly<Record<string, string>>;
  readonly quantity: string;
  /** A buy limit below the market: rests until fillResting. */
  readonly restingPrice: string;
  readonly limits: Readonly<Record<string, string>>;
  checkInstrument(i: Instrument): void;
  /** What `warden venues check` says of the instrument. */
  readonly checkLine: string;
  start(): Promise<StartedFixture>;
}

/** Calls `f` every `ms` until stopped (the market moving). */
function every(ms: number, f: (i: number) => unknown): () => void {
  let i = 0;
  const t = setInterval(() => void f(i++), ms);
  return () => clearInterval(t);
}

const mt5: BrokerFixture = {
  type: 'mt5',
  venue: 'MT5',
  instrument: 'EURUSD.MT5',
  accountType: 'MARGIN',
  balances: { USD: '100000' },
  quantity: '0.10',
  restingPrice: '1.10000',
  limits: { max_order_quantity: '1', max_order_notional: '1000000', max_position_quantity: '5', max_position_notional: '10000000' },
  checkInstrument: (i) => expect([i.kind, i.tickSize.toString(), i.lotSize.toString()]).toEqual(['PERPETUAL', '0.00001', '0.01']),
  checkLine: 'tick 0.00001, lot 0.01',
  async start() {
    const bridge = new FakeMt5Bridge();
    bridge.ea.addSymbol({ symbol: 'EURUSD', digits: 5, point: '0.00001', volumeMin: '0.01', volumeMax: '50', volumeStep: '0.01', contractSize: '100000', base: 'EUR', profit: 'USD' }, '1.10230', '1.10236');
    await bridge.start();
    let down = false;
    const stop = every(50, (i) => (down ? undefined : bridge.quote('EURUSD', `1.1023${i % 3}`, `1.1024${i % 3}`)));
    const p = bridge.endpoints;
    return {
      venueConfig: { type: 'mt5', host: '127.0.0.1', command_port: p.commandPort, reply_port: p.replyPort, price_port: p.pricePort, call_timeout_ms: 1_000, heartbeat_ms: 300, poll_ms: 150 },
      secrets: [],
      async fillResting() {
        down = true;
        await bridge.quote('EURUSD', '1.09990', '1.09995');
      },
      async close() {
        stop();
        await bridge.close();
      },
    };
  },
};

export const BROKER_FIXTURES: Readonly<Record<string, BrokerFixture>> = { mt5 };
