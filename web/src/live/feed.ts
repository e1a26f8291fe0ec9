/**
 * The live feed: one WebSocket to /api/stream, reconnected with backoff, resumed from the last
 * applied sequence number. On the first connection (and when the server says it cannot resume)
 * the state starts from the REST snapshot; records that arrive while it loads wait in a buffer.
 */
import { api, listOf } from '../api/client.ts';
import type { AdviceItem, OrderRow, PositionRow } from '../api/types.ts';
import { backoffDelay, streamPath } from '../state/resume.ts';
import { applyRecord, EMPTY_STATE, fromSnapshot, withPositionFigures, type LiveState } from '../state/stream-state.ts';
import { parseMessage, type StreamMessage } from '../state/wire.ts';

export type Connection = 'connecting' | 'syncing' | 'live' | 'reconnecting' | 'closed';

export interface Quote {
  readonly bid?: string;
  readonly ask?: string;
  readonly last?: string;
  readonly ts: number;
}

export interface FeedView {
  readonly state: LiveState;
  readonly connection: Connection;
  readonly quotes: ReadonlyMap<string, Quote>;
  readonly alerts: readonly Record<string, unknown>[];
  /** Venue health as the stream last reported it, by venue name. */
  readonly venues: ReadonlyMap<string, Record<string, unknown>>;
  readonly reconnects: number;
  /** The advisor's advice as it streams in, newest first. */
  readonly advice: readonly AdviceItem[];
  /** Bumped by each `proposal` message (made, confirmed, rejected): the advisor panel re-reads the list. */
  readonly proposalVersion: number;
}

type Listener = (v: FeedView) => void;

export class LiveFeed {
  private view: FeedView = { state: EMPTY_STATE, connection: 'connecting', quotes: new Map(), alerts: [], venues: new Map(), reconnects: 0, advice: [], proposalVersion: 0 };
  private readonly listeners = new Set<Listener>();
  private socket: WebSocket | undefined;
  private attempt = 0;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private stopped = false;
  /** Records received while the snapshot loads. */
  private buffer: { seq: number; msg: Extract<StreamMessage, { type: 'event' }> }[] | undefined;

  start(): void {
    this.stopped = false;
    this.connect();
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
    this.socket?.close();
    this.set({ connection: 'closed' });
  }

  subscribe(l: Listener): () => void {
    this.listeners.add(l);
    l(this.view);
    return () => this.listeners.delete(l);
  }

  current(): FeedView {
    return this.view;
  }

  /**
   * Re-reads positions' prices and PnL. The quantities stay the ones the stream built (a fill that
   * arrives while this loads is not overwritten by an older answer).
   */
  async refreshPositionFigures(): Promise<void> {
    const rows = listOf<PositionRow>(await api<unknown>('GET', '/api/positions'), 'positions');
    this.set({ state: withPositionFigures(this.view.state, rows) });
  }

  private set(patch: Partial<FeedView>): void {
    this.view = { ...this.view, ...patch };
    for (const l of this.listeners) l(this.view);
  }

  private connect(): void {
    const proto = location.protocol === 'https:' ? 'wss:' : 'ws:';
    const ws = new WebSocket(`${proto}//${location.host}${streamPath(this.view.state.lastSeq)}`);
    this.socket = ws;
    const resuming = this.view.state.lastSeq > 0;
    ws.onmessage = (m: MessageEvent<string>) => this.onMessage(m.data, resuming);
    ws.onopen = () => {
      this.attempt = 0;
    };
    ws.onclose = () => {
      if (this.socket !== ws || this.stopped) return;
      this.set({ connection: 'reconnecting', reconnects: this.view.reconnects + 1 });
      // eslint-disable-next-line no-restricted-syntax -- reconnect jitter in the browser, not engine state
      this.timer = setTimeout(() => this.connect(), backoffDelay(this.attempt++, Math.random()));
    };
  }

  private onMessage(text: string, resuming: boolean): void {
    const msg = parseMessage(text);
    if (!msg) return;
    switch (msg.type) {
      case 'hello':
        if (resuming && msg.lastSeq >= this.view.state.lastSeq) this.set({ connection: 'live' });
        else void this.sync(msg.lastSeq);
        return;
      case 'event':
        if (this.buffer) this.buffer.push({ seq: msg.seq, msg });
        else this.set({ state: applyRecord(this.view.state, msg.seq, msg.event) });
        return;
      case 'market':
        this.set({ quotes: new Map(this.view.quotes).set(msg.instrumentId, { bid: msg.bid, ask: msg.ask, last: msg.last, ts: msg.ts }) });
        return;
      case 'alert':
        this.set({ alerts: [msg as Record<string, unknown>, ...this.view.alerts].slice(0, 200) });
        return;
      case 'status':
      case 'system': // the node's process figures: the terminal dashboard shows them, this page not yet
        return;
      case 'advice':
        // eslint-disable-next-line no-restricted-syntax -- when the browser received it, for display only
        this.set({ advice: [{ task: msg.task, ok: msg.ok, ...(msg.consultation ? { consultation: msg.consultation } : {}), ...(msg.reason ? { reason: msg.reason } : {}), ...(msg.summary ? { summary: msg.summary } : {}), receivedAt: Date.now() }, ...this.view.advice].slice(0, 100) });
        return;
      case 'proposal':
        this.set({ proposalVersion: this.view.proposalVersion + 1 });
        return;
      case 'venue': {
        const name = typeof msg.venue.venue === 'string' ? msg.venue.venue : typeof msg.venue.name === 'string' ? msg.venue.name : '';
        if (name) this.set({ venues: new Map(this.view.venues).set(name, msg.venue) });
        return;
      }
    }
  }

  /** Loads the snapshot at the server's `lastSeq`, then applies what arrived meanwhile (only records after it). */
  private async sync(lastSeq: number): Promise<void> {
    this.buffer = [];
    this.set({ connection: 'syncing', state: { ...this.view.state, lastSeq: 0 } });
    try {
      const [orders, positions, risk] = await Promise.all([
        api<unknown>('GET', '/api/orders?status=all&limit=500'),
        api<unknown>('GET', '/api/positions'),
        api<{ killSwitch?: LiveState['killSwitch']; tradingStates?: { scope: string; state: string }[] }>('GET', '/api/risk'),
      ]);
      let state = fromSnapshot(lastSeq, listOf<OrderRow>(orders, 'orders'), listOf<PositionRow>(positions, 'positions'));
      state = {
        ...state,
        killSwitch: risk.killSwitch ?? state.killSwitch,
        tradingStates: new Map((risk.tradingStates ?? []).map((t) => [t.scope, t.state])),
      };
      for (const b of this.buffer) state = applyRecord(state, b.seq, b.msg.event);
      this.set({ state, connection: 'live' });
    } catch {
      // Without a snapshot the records cannot be placed: drop the connection, the reconnect syncs again.
      this.socket?.close();
    } finally {
      this.buffer = undefined;
    }
  }
}
