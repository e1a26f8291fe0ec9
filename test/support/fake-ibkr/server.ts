/**
 * A fake TWS / IB Gateway on 127.0.0.1 speaking the TWS socket API for real, at server version
 * 176 (see README.md). The real @stoqey/ib client connects to it unchanged: handshake, startApi,
 * managedAccounts and nextValidId, then requests and the messages TWS answers them with.
 */
import { createServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { Book } from './book.ts';
import { accountValue, commissionReport, contractData, errorMsg, execDetails, IN, openOrder, orderStatus, portfolioValue, position, simple } from './messages.ts';
import { readPlaceOrder } from './place-order.ts';
import type { ContractDef } from './types.ts';
import { FieldReader, FrameReader, frame, type Field } from './wire.ts';

export const SERVER_VERSION = 176;

/** Client message ids this fake serves (EClient's OUT_MSG_ID). */
const OUT = { PLACE_ORDER: 3, CANCEL_ORDER: 4, REQ_OPEN_ORDERS: 5, REQ_ACCOUNT_DATA: 6, REQ_EXECUTIONS: 7, REQ_IDS: 8, REQ_CONTRACT_DATA: 9, REQ_ALL_OPEN_ORDERS: 16, REQ_MANAGED_ACCTS: 17, REQ_CURRENT_TIME: 49, REQ_POSITIONS: 61, START_API: 71 } as const;

interface Session {
  readonly socket: Socket;
  clientId: number | undefined;
}

export type RequestKind = 'placeOrder' | 'cancelOrder';

/** What a test can make the fake do wrong. */
export interface IbkrFaults {
  /** Closes every client socket (TWS restarted, the network dropped). */
  dropConnections(): void;
  /** New connections are closed at once while set (TWS down). */
  refuseConnections(on: boolean): void;
  /** Error 1100 to every client; messages are lost while it lasts; `restore` sends 1102. */
  connectivityLost(): void;
  connectivityRestored(): void;
  /** The next request of `kind` is acted on, but nothing TWS says while handling it reaches the client. */
  swallowReplies(kind: RequestKind): void;
  /** The next `times` requests of `kind` are refused with error 100 (message rate exceeded), not acted on. */
  pace(kind: RequestKind, times: number): void;
  /** While set, what happens to orders is not pushed to clients (a stream that lost its messages); requests are answered. */
  hideReports(on: boolean): void;
  /** Pushes every execution (and its commission report) to its client again, as after a replay. */
  replayExecutions(): void;
}

export interface FakeIbkrOptions {
  readonly account?: string;
  readonly contracts?: readonly ContractDef[];
  readonly firstOrderId?: number;
  readonly cash?: number;
  readonly now?: () => number;
}

export const DEFAULT_CONTRACTS: readonly ContractDef[] = [
  { conId: 265598, symbol: 'AAPL', secType: 'STK', exchange: 'SMART', primaryExch: 'NASDAQ', currency: 'USD', minTick: 0.01, longName: 'APPLE INC' },
  { conId: 272093, symbol: 'MSFT', secType: 'STK', exchange: 'SMART', primaryExch: 'NASDAQ', currency: 'USD', minTick: 0.01, longName: 'MICROSOFT CORP' },
  { conId: 4815747, symbol: 'PENNY', secType: 'STK', exchange: 'SMART', primaryExch: 'NYSE', currency: 'USD', minTick: 0.0001, longName: 'PENNY CORP' },
];

export class FakeTws {
  readonly book: Book;
  readonly account: string;
  /** Every request received, by message id and fields (for assertions). */
  readonly requests: { id: number; clientId: number | undefined; fields: string[] }[] = [];
  /** Requests the fake could not read at version 176 (a layout mismatch). */
  readonly malformed: string[] = [];
  private readonly server: Server;
  private readonly sessions = new Set<Session>();
  private nextId: number;
  private refusing = false;
  private lost = false;
  private muted = false;
  private hidden = false;
  private readonly swallow = new Set<RequestKind>();
  private readonly paced = new Map<RequestKind, number>();
  private readonly cash: number;
  private readonly now: () => number;
  port = 0;

  constructor(o: FakeIbkrOptions = {}) {
    this.account = o.account ?? 'DU1234567';
    this.nextId = o.firstOrderId ?? 1;
    this.cash = o.cash ?? 100_000;
    this.now = o.now ?? (() => Date.now());
    this.book = new Book(o.contracts ?? DEFAULT_CONTRACTS, this.account, { send: (clientId, fields) => this.toClient(clientId, fields), reply: (clientId, fields) => this.toClient(clientId, fields, true) }, this.now);
    this.server = createServer((socket) => this.accept(socket));
  }

  listen(): Promise<void> {
    return new Promise((resolve) => {
      this.server.listen(0, '127.0.0.1', () => {
        this.port = (this.server.address() as AddressInfo).port;
        resolve();
      });
    });
  }

  close(): Promise<void> {
    for (const s of this.sessions) s.socket.destroy();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  /** Client ids connected now. */
  get clients(): number[] {
    return [...this.sessions].flatMap((s) => (s.clientId === undefined ? [] : [s.clientId]));
  }

  readonly faults: IbkrFaults = {
    dropConnections: () => {
      for (const s of this.sessions) s.socket.destroy();
    },
    refuseConnections: (on) => {
      this.refusing = on;
    },
    connectivityLost: () => {
      this.broadcast(errorMsg(-1, 1100, 'Connectivity between IB and Trader Workstation has been lost.'));
      this.lost = true;
    },
    connectivityRestored: () => {
      this.lost = false;
      this.broadcast(errorMsg(-1, 1102, 'Connectivity between IB and Trader Workstation has been restored - data maintained.'));
    },
    swallowReplies: (kind) => void this.swallow.add(kind),
    pace: (kind, times) => void this.paced.set(kind, times),
    hideReports: (on) => {
      this.hidden = on;
    },
    replayExecutions: () => {
      for (const e of this.book.executions) {
        this.toClient(e.clientId, execDetails(-1, e));
        this.toClient(e.clientId, commissionReport(e));
      }
    },
  };

  private accept(socket: Socket): void {
    if (this.refusing) {
      socket.destroy();
      return;
    }
    const session: Session = { socket, clientId: undefined };
    this.sessions.add(session);
    socket.on('close', () => this.sessions.delete(session));
    socket.on('error', () => socket.destroy());
    const reader = new FrameReader(
      (versions) => this.handshake(session, versions),
      (fields) => this.request(session, fields),
    );
    socket.on('data', (d) => {
      try {
        reader.push(d);
      } catch (e) {
        this.malformed.push((e as Error).message);
        socket.destroy();
      }
    });
  }

  private handshake(s: Session, versions: string): void {
    const m = /^v(\d+)(?:\.\.(\d+))?$/.exec(versions);
    if (!m || Number(m[2] ?? m[1]) < SERVER_VERSION || Number(m[1]) > SERVER_VERSION) {
      s.socket.destroy();
      return;
    }
    this.write(s, [SERVER_VERSION, connectionTime(this.now())]);
  }

  private request(s: Session, fields: string[]): void {
    const id = Number(fields[0]);
    const rest = fields.slice(1);
    this.requests.push({ id, clientId: s.clientId, fields: rest });
    try {
      this.dispatch(s, id, rest);
    } catch (e) {
      this.malformed.push(`message ${id}: ${(e as Error).message}`);
      this.write(s, errorMsg(-1, 320, `Error reading request. Message id ${id}. ${(e as Error).message}`));
    }
  }

  private dispatch(s: Session, id: number, fields: string[]): void {
    const r = new FieldReader(fields);
    if (id === OUT.START_API) return this.startApi(s, r);
    if (s.clientId === undefined) throw new Error('request before startApi');
    const clientId = s.clientId;
    switch (id) {
      case OUT.PLACE_ORDER: {
        const p = readPlaceOrder(fields);
        if (this.refusedForPace('placeOrder', s, p.orderId)) return;
        this.nextId = Math.max(this.nextId, p.orderId + 1);
        return this.muffled('placeOrder', () => this.book.place(p, clientId));
      }
      case OUT.CANCEL_ORDER: {
        r.int(); // version
        const orderId = r.int();
        r.str(); // manualOrderCancelTime
        if (this.refusedForPace('cancelOrder', s, orderId)) return;
        return this.muffled('cancelOrder', () => this.book.cancel(orderId, clientId));
      }
      case OUT.REQ_OPEN_ORDERS:
      case OUT.REQ_ALL_OPEN_ORDERS:
        for (const o of this.book.orders.values()) {
          if (o.status !== 'Submitted' && o.status !== 'PreSubmitted') continue;
          if (id === OUT.REQ_OPEN_ORDERS && o.clientId !== clientId) continue;
          this.write(s, openOrder(o));
          this.write(s, orderStatus(o));
        }
        return this.write(s, simple(IN.OPEN_ORDER_END));
      case OUT.REQ_EXECUTIONS:
        return this.executions(s, r);
      case OUT.REQ_POSITIONS:
        for (const [conId, p] of this.book.positions) this.write(s, position(this.account, this.book.contract(conId)!, p.pos, p.pos === 0 ? 0 : p.cost / p.pos));
        return this.write(s, simple(IN.POSITION_END));
      case OUT.REQ_ACCOUNT_DATA:
        return this.accountUpdates(s, r);
      case OUT.REQ_CONTRACT_DATA:
        return this.contractDetails(s, r);
      case OUT.REQ_CURRENT_TIME:
        return this.write(s, simple(IN.CURRENT_TIME, Math.floor(this.now() / 1000)));
      case OUT.REQ_IDS:
        return this.write(s, simple(IN.NEXT_VALID_ID, this.nextId));
      case OUT.REQ_MANAGED_ACCTS:
        return this.write(s, simple(IN.MANAGED_ACCTS, this.account));
      default:
        this.write(s, errorMsg(-1, 320, `Error reading request. Unsupported message id ${id}.`));
    }
  }

  private startApi(s: Session, r: FieldReader): void {
    r.int(); // version 2
    const clientId = r.int();
    r.str(); // optional capabilities
    if (this.clients.includes(clientId)) {
      this.write(s, errorMsg(-1, 326, 'Unable to connect as the client id is already in use. Retry with a unique client id.'));
      s.socket.end();
      return;
    }
    s.clientId = clientId;
    this.write(s, simple(IN.MANAGED_ACCTS, this.account));
    this.write(s, simple(IN.NEXT_VALID_ID, this.nextId));
    this.write(s, errorMsg(-1, 2104, 'Market data farm connection is OK:usfarm'));
    this.write(s, errorMsg(-1, 2106, 'HMDS data farm connection is OK:ushmds'));
    this.write(s, errorMsg(-1, 2158, 'Sec-def data farm connection is OK:secdefnj'));
  }

  private executions(s: Session, r: FieldReader): void {
    r.int(); // version
    const reqId = r.int();
    const clientId = r.int();
    const acct = r.str();
    const time = r.str();
    const symbol = r.str();
    const since = time === '' ? 0 : parseFilterTime(time);
    const chosen = this.book.executions.filter((e) => (clientId === 0 || e.clientId === clientId) && (acct === '' || e.account === acct) && (symbol === '' || e.contract.symbol === symbol) && e.epochMs >= since);
    for (const e of chosen) this.write(s, execDetails(reqId, e));
    this.write(s, simple(IN.EXECUTION_DATA_END, reqId));
    for (const e of chosen) this.write(s, commissionReport(e));
  }

  private accountUpdates(s: Session, r: FieldReader): void {
    r.int(); // version
    if (!r.bool()) return;
    this.write(s, accountValue('CashBalance', this.cashBalance().toFixed(2), 'USD', this.account));
    this.write(s, accountValue('TotalCashValue', this.cashBalance().toFixed(2), 'USD', this.account));
    for (const [conId, p] of this.book.positions) {
      const c = this.book.contract(conId)!;
      const q = this.book.quotes.get(c.symbol);
      this.write(s, portfolioValue(this.account, c, p.pos, q ? (q.bid + q.ask) / 2 : 0, p.pos === 0 ? 0 : p.cost / p.pos));
    }
    this.write(s, simple(IN.ACCT_UPDATE_TIME, '06:00'));
    this.write(s, simple(IN.ACCT_DOWNLOAD_END, this.account));
  }

  private cashBalance(): number {
    let cash = this.cash;
    for (const e of this.book.current()) cash += (e.side === 'BOT' ? -1 : 1) * e.shares * e.price - e.commission;
    return cash;
  }

  private contractDetails(s: Session, r: FieldReader): void {
    r.int(); // version
    const reqId = r.int();
    const conId = r.int();
    const symbol = r.str();
    const secType = r.str();
    r.skip(4); // lastTradeDateOrContractMonth, strike, right, multiplier
    const exchange = r.str();
    r.str(); // primaryExch
    const currency = r.str();
    const found = this.book.contracts.filter((c) => (conId ? c.conId === conId : c.symbol === symbol && (secType === '' || c.secType === secType) && (currency === '' || c.currency === currency) && (exchange === '' || exchange === 'SMART' || exchange === c.primaryExch)));
    if (found.length === 0) return this.write(s, errorMsg(reqId, 200, 'No security definition has been found for the request'));
    for (const c of found) this.write(s, contractData(reqId, c));
    this.write(s, simple(IN.CONTRACT_DATA_END, reqId));
  }

  private refusedForPace(kind: RequestKind, s: Session, orderId: number): boolean {
    const left = this.paced.get(kind) ?? 0;
    if (left <= 0) return false;
    this.paced.set(kind, left - 1);
    this.write(s, errorMsg(orderId, 100, 'Max rate of messages per second has been exceeded.'));
    return true;
  }

  private muffled(kind: RequestKind, run: () => void): void {
    this.muted = this.swallow.delete(kind);
    try {
      run();
    } finally {
      this.muted = false;
    }
  }

  private toClient(clientId: number | undefined, fields: Field[], reply = false): void {
    if (this.muted || this.lost || (this.hidden && !reply)) return;
    for (const s of this.sessions) if (s.clientId !== undefined && (clientId === undefined || s.clientId === clientId)) this.write(s, fields);
  }

  private broadcast(fields: Field[]): void {
    for (const s of this.sessions) if (s.clientId !== undefined) this.write(s, fields);
  }

  private write(s: Session, fields: Field[]): void {
    if (!s.socket.destroyed) s.socket.write(frame(fields));
  }
}

function connectionTime(ms: number): string {
  const d = new Date(ms);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getUTCFullYear()}${p(d.getUTCMonth() + 1)}${p(d.getUTCDate())} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())} UTC`;
}

/** An execution filter's time, "yyyymmdd-hh:mm:ss" (UTC here), as epoch ms. */
function parseFilterTime(t: string): number {
  const m = /^(\d{4})(\d{2})(\d{2})[- ](\d{2}):(\d{2}):(\d{2})/.exec(t);
  if (!m) throw new Error(`bad execution filter time ${t}`);
  return Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6]));
}

export async function startFakeIbkr(o: FakeIbkrOptions = {}): Promise<FakeTws> {
  const tws = new FakeTws(o);
  await tws.listen();
  return tws;
}
