import { streaming } from '@alpacahq/alpaca-trade-api';
import type { AlertCode } from '../../engine/alert-codes.ts';
import type { VenueConnectionState } from '../../engine/venue.ts';
import { VenueCallError } from '../../model/errors.ts';

export interface TradeUpdatesOptions {
  readonly stream: streaming.TradingStream;
  readonly onUpdate: (u: streaming.TradeUpdate) => void;
  readonly onState: (s: VenueConnectionState) => void;
  readonly onAlert: (code: AlertCode, message: string) => void;
  /** A REST call that proves Alpaca answers again before the venue is declared UP. */
  readonly probe: () => Promise<unknown>;
}

/**
 * The trade_updates stream through the SDK's TradingStream: authenticate, listen, and take every
 * update in arrival order. The SDK reconnects with backoff and listens again; a drop puts the
 * venue DOWN (its orders UNKNOWN) until the stream listens again and a REST probe answers, when
 * it is UP and the node reconciles over REST what the stream missed (FAULTS 22). The stream's
 * keepalive (ping/pong) ends a silent socket, which counts as a drop.
 */
export class TradeUpdates {
  private running = false;
  private down = false;

  constructor(private readonly o: TradeUpdatesOptions) {
    o.stream.onTradeUpdate((u) => {
      if (this.running) o.onUpdate(u);
    });
    o.stream.onDisconnect(() => this.dropped());
    o.stream.on(streaming.EVENT.SUBSCRIPTION, () => this.listening());
    o.stream.onError((message) => {
      if (this.running) o.onAlert('VENUE_STREAM_FAILED', `Alpaca trade_updates: ${message}`);
    });
  }

  /** Connects and resolves once Alpaca confirms it listens to trade_updates; rejects when it refuses the credentials. */
  async open(): Promise<void> {
    if (this.running) return;
    this.running = true;
    const listening = new Promise<void>((resolve) => this.o.stream.once(streaming.EVENT.SUBSCRIPTION, () => resolve()));
    this.o.stream.subscribeTradeUpdates();
    this.o.stream.connect();
    const auth = await this.o.stream.whenAuthenticated();
    if (!auth.authenticated) {
      this.stop();
      throw new VenueCallError('VENUE_REJECTED', `AUTHENTICATION_FAILED: Alpaca trade_updates: ${auth.message}`);
    }
    await listening;
  }

  stop(): void {
    this.running = false;
    this.o.stream.disconnect();
  }

  private dropped(): void {
    if (!this.running || this.down) return;
    this.down = true;
    this.o.onAlert('VENUE_STREAM_FAILED', 'Alpaca trade_updates stream dropped; reconnecting');
    this.o.onState('DOWN');
  }

  private listening(): void {
    if (!this.running || !this.down) return;
    this.o
      .probe()
      .then(() => {
        if (!this.running || !this.down) return;
        this.down = false;
        this.o.onState('UP');
      })
      .catch((e: unknown) => this.o.onAlert('VENUE_STREAM_FAILED', `Alpaca answers the stream but not REST: ${(e as Error).message}`));
  }
}
