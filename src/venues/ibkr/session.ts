import { EventName, IBApi } from '@stoqey/ib';
import type { Timer } from '../../execution/timer.ts';
import { VenueCallError } from '../../model/errors.ts';

export interface SessionOptions {
  readonly host: string;
  readonly port: number;
  readonly clientId: number;
  readonly timer: Timer;
  readonly connectTimeoutMs: number;
  readonly reconnectBaseMs: number;
  readonly reconnectMaxMs: number;
}

export interface SessionHooks {
  /** Every new connection's IBApi, before it connects: the adapter listens to it. */
  readonly bind: (api: IBApi) => void;
  /** After a reconnect (or IB's connectivity restored): fill the gaps before the venue is UP again. */
  readonly recover: () => Promise<void>;
  readonly onState: (up: boolean, why: string) => void;
  readonly onAccounts: (accounts: string[]) => void;
  readonly onAlert: (message: string) => void;
}

/**
 * One TWS socket session and its life: the handshake (until nextValidId, when TWS takes
 * requests), the order id counter it hands out, and after the socket drops a new connection with
 * a doubling backoff. Each connection gets a fresh IBApi: the client library queues calls made
 * while disconnected and sends them once connected again, and an order sent that late, blindly,
 * is exactly what must not happen; a fresh client has nothing queued.
 *
 * "Up" means the socket is connected and TWS is connected to IB (error 1100 says it is not).
 */
export class IbSession {
  private current: IBApi | undefined;
  private nextId = 0;
  private socketUp = false;
  private linkUp = true;
  private closed = false;
  private attempt = 0;
  private cancelRetry: (() => void) | undefined;
  /** Whether the venue has been told UP (so DOWN is told once per outage). */
  private told: boolean | undefined;

  constructor(
    private readonly o: SessionOptions,
    private readonly hooks: SessionHooks,
  ) {}

  get api(): IBApi {
    if (!this.current || !this.socketUp) throw new VenueCallError('VENUE_DISCONNECTED', 'not connected to TWS / IB Gateway');
    return this.current;
  }

  get up(): boolean {
    return this.socketUp && this.linkUp && !this.closed;
  }

  /** Throws VENUE_DISCONNECTED unless an order call can be sent now. */
  ensureUp(): IBApi {
    if (!this.linkUp) throw new VenueCallError('VENUE_DISCONNECTED', 'TWS has lost its connection to IB (1100): nothing is sent until it is back');
    return this.api;
  }

  /** The next order id of this client (TWS's nextValidId, then counting up). */
  takeOrderId(): number {
    return this.nextId++;
  }

  get serverVersion(): number {
    return this.current?.serverVersion ?? 0;
  }

  /** Connects; resolves once TWS has said nextValidId. */
  open(): Promise<void> {
    return this.connectOnce();
  }

  close(): void {
    this.closed = true;
    this.cancelRetry?.();
    this.current?.disconnect();
    this.current = undefined;
    this.socketUp = false;
  }

  /** IB's connectivity notices (1100 lost, 1101/1102 restored), from the adapter's error listener. */
  link(up: boolean): void {
    if (up === this.linkUp) return;
    this.linkUp = up;
    if (!up) this.tell(false, 'TWS lost its connection to IB (1100)');
    else void this.afterRecovery('IB connectivity restored');
  }

  private connectOnce(): Promise<void> {
    const api = new IBApi({ host: this.o.host, port: this.o.port, clientId: this.o.clientId });
    this.current = api;
    this.hooks.bind(api);
    return new Promise<void>((resolve, reject) => {
      let settled = false;
      const cancelTimeout = this.o.timer.schedule(this.o.connectTimeoutMs, () => {
        if (settled) return;
        settled = true;
        api.disconnect();
        reject(new VenueCallError('VENUE_DISCONNECTED', `no answer from TWS at ${this.o.host}:${this.o.port} within ${this.o.connectTimeoutMs} ms`));
      });
      api.on(EventName.managedAccounts, (accounts: string) => this.hooks.onAccounts(accounts.split(',').filter((a) => a !== '')));
      api.on(EventName.nextValidId, (id: number) => {
        // TWS sends it again on reqIds; never go backwards.
        this.nextId = Math.max(this.nextId, id);
        if (settled) return;
        settled = true;
        cancelTimeout();
        this.socketUp = true;
        this.attempt = 0;
        resolve();
      });
      api.on(EventName.disconnected, () => {
        if (this.current !== api) return;
        this.socketUp = false;
        if (!settled) {
          settled = true;
          cancelTimeout();
          reject(new VenueCallError('VENUE_DISCONNECTED', `TWS at ${this.o.host}:${this.o.port} closed the connection`));
          return;
        }
        this.tell(false, 'the socket to TWS closed');
        this.scheduleReconnect();
      });
      api.connect();
    });
  }

  private scheduleReconnect(): void {
    if (this.closed) return;
    const delay = Math.min(this.o.reconnectMaxMs, this.o.reconnectBaseMs * 2 ** Math.min(this.attempt, 20));
    this.attempt++;
    this.cancelRetry = this.o.timer.schedule(delay, () => {
      if (this.closed) return;
      this.connectOnce().then(
        () => this.afterRecovery('reconnected to TWS'),
        (e: unknown) => {
          this.hooks.onAlert(`reconnect to TWS failed: ${(e as Error).message}`);
          this.scheduleReconnect();
        },
      );
    });
  }

  /** Gaps filled first, then UP: a report missed while down is never behind the UP. */
  private async afterRecovery(why: string): Promise<void> {
    try {
      await this.hooks.recover();
    } catch (e) {
      this.hooks.onAlert(`filling the gap after "${why}" failed: ${(e as Error).message}; reconciliation will ask again`);
    }
    if (this.up) this.tell(true, why);
  }

  private tell(up: boolean, why: string): void {
    if (this.told === up) return;
    this.told = up;
    this.hooks.onState(up, why);
  }

  /** The first UP, once open() has resolved and the adapter is ready. */
  markUp(): void {
    this.told = true;
  }
}
