import { Publisher, Pull, Push } from 'zeromq';
import { FakeEa, type Fault } from './ea.ts';

export interface FakeBridgePorts {
  readonly commandPort: number;
  readonly replyPort: number;
  readonly pricePort: number;
}

/**
 * The DWX bridge as the terminal runs it, on real ZeroMQ sockets bound to 127.0.0.1: PULL on the
 * command port, PUSH for replies, PUB for prices (the EA binds, the client connects). Commands are
 * taken one at a time in arrival order and answered by FakeEa. Fault switches: a reply dropped (the
 * command acted on, its answer lost), a reply held and let go later, an error or abort reply, and a
 * restart (sockets closed and bound again, the tracked symbols forgotten, trades kept as the
 * terminal keeps them).
 */
export class FakeMt5Bridge {
  readonly ea = new FakeEa();
  private pull: Pull | undefined;
  private push: Push | undefined;
  private pub: Publisher | undefined;
  private ports: FakeBridgePorts | undefined;
  private dropping = new Map<string, number>();
  private holding = false;
  private held: string[] = [];
  private loop: Promise<void> | undefined;
  running = false;

  get endpoints(): FakeBridgePorts {
    if (!this.ports) throw new Error('the fake bridge has not started');
    return this.ports;
  }

  /** Binds the three sockets (on fresh ports the first time, on the same ones after a restart). */
  async start(): Promise<void> {
    this.pull = new Pull({ linger: 0 });
    this.push = new Push({ linger: 0 });
    this.pub = new Publisher({ linger: 0 });
    const p = this.ports;
    await bindRetrying(this.pull, p?.commandPort);
    await bindRetrying(this.push, p?.replyPort);
    await bindRetrying(this.pub, p?.pricePort);
    this.ports = { commandPort: portOf(this.pull), replyPort: portOf(this.push), pricePort: portOf(this.pub) };
    this.running = true;
    this.loop = this.serve(this.pull);
  }

  /** The terminal closed (or the EA removed): sockets closed; trades stay. */
  async stop(): Promise<void> {
    if (!this.running) return;
    this.running = false;
    this.pull?.close();
    this.push?.close();
    this.pub?.close();
    await this.loop;
    this.ea.tracked = [];
  }

  async restart(): Promise<void> {
    await this.stop();
    await this.start();
  }

  // ---- faults ----

  /** The next `n` commands of `action` (OPEN, CLOSE, HEARTBEAT, ...) are acted on, their replies lost. */
  dropReplies(action: string, n = 1): void {
    this.dropping.set(action, (this.dropping.get(action) ?? 0) + n);
  }

  /** Replies are held (late) until `release`. */
  holdReplies(): void {
    this.holding = true;
  }

  async release(): Promise<void> {
    this.holding = false;
    const held = this.held;
    this.held = [];
    for (const r of held) await this.push?.send(r);
  }

  /** The next TRADE command of `action` meets `fault` (an error reply as the EA writes it, or an abort). */
  failNext(action: string, fault: Fault): void {
    this.ea.faults.set(action, [...(this.ea.faults.get(action) ?? []), fault]);
  }

  // ---- the market ----

  /** Moves the market, fills what it reaches, and publishes the price where it is tracked. */
  async quote(symbol: string, bid: string, ask: string): Promise<number[]> {
    const filled = this.ea.setQuote(symbol, bid, ask);
    await this.publish(symbol);
    return filled;
  }

  async publish(symbol: string): Promise<void> {
    const line = this.ea.priceLine(symbol);
    if (line && this.running) await this.pub?.send(line);
  }

  close(): Promise<void> {
    return this.stop();
  }

  private async serve(pull: Pull): Promise<void> {
    try {
      for await (const [frame] of pull) {
        const text = frame!.toString('utf8');
        const reply = this.ea.handle(text);
        if (reply === undefined) continue;
        const action = text.startsWith('TRADE;') ? text.split(';')[1]! : text.split(';')[0]!;
        const drops = this.dropping.get(action) ?? 0;
        if (drops > 0) {
          this.dropping.set(action, drops - 1);
          continue;
        }
        if (this.holding) this.held.push(reply);
        else await this.push?.send(reply);
      }
    } catch {
      // closed
    }
  }
}

function portOf(s: Pull | Push | Publisher): number {
  const m = /:(\d+)$/.exec(s.lastEndpoint ?? '');
  if (!m) throw new Error(`no port in ${String(s.lastEndpoint)}`);
  return Number(m[1]);
}

/** Binds on 127.0.0.1 (a fresh port, or `port` again after a restart, retried while the old socket lets go of it). */
async function bindRetrying(s: Pull | Push | Publisher, port: number | undefined): Promise<void> {
  const end = Date.now() + 5_000;
  for (;;) {
    try {
      await s.bind(`tcp://127.0.0.1:${port ?? '*'}`);
      return;
    } catch (e) {
      if (Date.now() > end) throw e;
      await new Promise((r) => setTimeout(r, 20));
    }
  }
}
