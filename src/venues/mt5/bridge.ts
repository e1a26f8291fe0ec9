import { Pull, Push, Subscriber } from 'zeromq';
import type { VenueConnectionState } from '../../engine/venue.ts';
import { sleep, type Timer } from '../../execution/timer.ts';
import { VenueCallError } from '../../model/errors.ts';
import { answers, commands, parsePriceMessage, type Command } from './protocol.ts';
import { isDict, parsePyLiteral, type PyDict } from './py-literal.ts';

export interface BridgeOptions {
  readonly host: string;
  /** The EA's PULL port, which our PUSH connects to (DWX default 32768). */
  readonly commandPort: number;
  /** The EA's PUSH port, which our PULL connects to (32769). */
  readonly replyPort: number;
  /** The EA's PUB port, which our SUB connects to (32770). */
  readonly pricePort: number;
  readonly timer: Timer;
  /** How long a command waits for its reply. */
  readonly callTimeoutMs: number;
  /** How often the bridge is asked whether it is there (HEARTBEAT); a missed answer is the connection down. */
  readonly heartbeatMs: number;
  /** Run once the bridge answers again after being down, before the connection is told UP. */
  readonly onReconnect: () => Promise<void>;
  readonly onState: (s: VenueConnectionState) => void;
  /** A reply whose command had timed out already (an order placed late, a cancel done late). */
  readonly onLateReply: (cmd: Command, reply: PyDict) => void;
  readonly onPrice: (symbol: string, bid: string, ask: string) => void;
  readonly onProblem: (message: string) => void;
}

interface Pending {
  readonly cmd: Command;
  resolve(reply: PyDict): void;
  reject(e: unknown): void;
  timedOut: boolean;
  cancelTimer: () => void;
}

/**
 * The DWX bridge's three ZeroMQ sockets and the pairing of replies with commands. The protocol has
 * no request ids: the EA answers its commands one at a time, in the order it took them. So the
 * commands sent are kept in order; a reply answers the oldest one it fits (its `_action`, and the
 * magic or ticket where it names one), and older ones it skips were lost (their replies will not
 * come). A command whose reply is late is failed as ambiguous (VENUE_TIMEOUT) and stays in line, so
 * that its reply, when it comes, goes to `onLateReply` and is not taken for the next command's.
 */
export class Bridge {
  private readonly push = new Push({ linger: 0, immediate: true, sendTimeout: 0 });
  private readonly pull = new Pull({ linger: 0 });
  private readonly sub = new Subscriber({ linger: 0 });
  private line: Pending[] = [];
  private state: VenueConnectionState = 'DOWN';
  private started = false;
  private starting: Promise<void> | undefined;
  private closed = false;
  private cancelBeat: (() => void) | undefined;
  private beating: Promise<void> | undefined;

  constructor(private readonly o: BridgeOptions) {}

  get connection(): VenueConnectionState {
    return this.state;
  }

  /** Connects the three sockets and resolves once the bridge answers a heartbeat; one start at a time, tried again after a failure. */
  start(): Promise<void> {
    this.starting ??= this.startOnce().finally(() => (this.starting = undefined));
    return this.starting;
  }

  private async startOnce(): Promise<void> {
    if (this.state === 'UP') return;
    // A start that failed (no bridge answered) may be tried again: the sockets stay connecting, only the heartbeat is retried.
    if (!this.started) {
      this.started = true;
      const url = (port: number) => `tcp://${this.o.host}:${port}`;
      this.push.connect(url(this.o.commandPort));
      this.pull.connect(url(this.o.replyPort));
      this.sub.connect(url(this.o.pricePort));
      this.sub.subscribe();
      // The EA going away (restart, terminal closed) drops the TCP connection: down at once, not at the next heartbeat.
      this.pull.events.on('disconnect', () => this.down('the bridge closed its reply socket'));
      void this.readReplies();
      void this.readPrices();
    }
    await this.firstHeartbeat();
    this.state = 'UP';
    this.o.onState('UP');
    this.scheduleBeat();
  }

  /** The first heartbeat, tried again while the sockets are still connecting (a command is never queued for a bridge not connected). */
  private async firstHeartbeat(): Promise<void> {
    for (let waited = 0; ; waited += 50) {
      try {
        await this.send(commands.heartbeat());
        return;
      } catch (e) {
        if (!(e instanceof VenueCallError) || e.code !== 'VENUE_DISCONNECTED' || waited >= this.o.callTimeoutMs || this.closed) throw e;
        await sleep(this.o.timer, 50);
      }
    }
  }

  /** Sends `cmd` and resolves with its reply; rejects with a VenueCallError (typed, ambiguous where the bridge may have acted). */
  send(cmd: Command): Promise<PyDict> {
    if (this.closed) return Promise.reject(new VenueCallError('VENUE_DISCONNECTED', 'the MT5 bridge connection is closed'));
    return new Promise<PyDict>((resolve, reject) => {
      const p: Pending = { cmd, resolve, reject, timedOut: false, cancelTimer: () => undefined };
      this.line.push(p);
      p.cancelTimer = this.o.timer.schedule(this.o.callTimeoutMs, () => {
        p.timedOut = true;
        reject(new VenueCallError('VENUE_TIMEOUT', `the MT5 bridge did not answer ${describe(cmd)} within ${this.o.callTimeoutMs} ms`));
      });
      this.push.send(cmd.text).catch((e: unknown) => {
        // Not queued (no bridge connected, `immediate`): never sent, so not ambiguous.
        this.line = this.line.filter((x) => x !== p);
        p.cancelTimer();
        reject(new VenueCallError('VENUE_DISCONNECTED', `the MT5 bridge is not connected; ${describe(cmd)} was not sent (${(e as Error).message})`));
      });
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    this.cancelBeat?.();
    for (const p of this.line) {
      p.cancelTimer();
      if (!p.timedOut) p.reject(new VenueCallError('VENUE_DISCONNECTED', 'the MT5 bridge connection was closed'));
    }
    this.line = [];
    await this.beating?.catch(() => undefined);
    this.push.close();
    this.pull.close();
    this.sub.close();
  }

  private async readReplies(): Promise<void> {
    try {
      for await (const [frame] of this.pull) this.onReply(frame!.toString('utf8'));
    } catch (e) {
      if (!this.closed) this.o.onProblem(`reading MT5 bridge replies failed: ${(e as Error).message}`);
    }
  }

  private async readPrices(): Promise<void> {
    try {
      for await (const [frame] of this.sub) {
        const p = parsePriceMessage(frame!.toString('utf8'));
        if (p) this.o.onPrice(p.symbol, p.bid, p.ask);
      }
    } catch (e) {
      if (!this.closed) this.o.onProblem(`reading MT5 bridge prices failed: ${(e as Error).message}`);
    }
  }

  private onReply(text: string): void {
    let reply: PyDict;
    try {
      const v = parsePyLiteral(text);
      if (!isDict(v)) throw new Error('not a dict');
      reply = v;
    } catch (e) {
      this.o.onProblem(`an MT5 bridge reply could not be read (${(e as Error).message}): ${text.slice(0, 200)}`);
      return;
    }
    const at = this.line.findIndex((p) => answers(p.cmd, reply));
    if (at < 0) {
      this.o.onProblem(`an MT5 bridge reply answers no command sent: ${text.slice(0, 200)}`);
      return;
    }
    // The ones before it were taken by the EA and answered before this one, or lost: their replies will not come.
    const skipped = this.line.slice(0, at);
    const p = this.line[at]!;
    this.line = this.line.slice(at + 1);
    for (const s of skipped) {
      s.cancelTimer();
      if (!s.timedOut) s.reject(new VenueCallError('VENUE_TIMEOUT', `the MT5 bridge answered a later command and not ${describe(s.cmd)}`));
    }
    p.cancelTimer();
    if (p.timedOut) this.o.onLateReply(p.cmd, reply);
    else p.resolve(reply);
  }

  // ---- connection ----

  private down(why: string): void {
    if (this.closed || this.state === 'DOWN') return;
    this.state = 'DOWN';
    this.o.onProblem(`MT5 bridge down: ${why}`);
    this.o.onState('DOWN');
  }

  private scheduleBeat(): void {
    if (this.closed) return;
    this.cancelBeat = this.o.timer.schedule(this.o.heartbeatMs, () => {
      this.beating = this.beat().finally(() => this.scheduleBeat());
    });
  }

  private async beat(): Promise<void> {
    try {
      await this.send(commands.heartbeat());
    } catch (e) {
      this.down((e as Error).message);
      return;
    }
    if (this.state === 'UP' || this.closed) return;
    try {
      await this.o.onReconnect();
    } catch (e) {
      this.o.onProblem(`MT5 bridge back, but catching up failed: ${(e as Error).message}`);
      return;
    }
    this.state = 'UP';
    this.o.onState('UP');
  }
}

function describe(cmd: Command): string {
  return cmd.text.split(';').slice(0, 2).join(';');
}
