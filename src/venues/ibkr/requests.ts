import { EventName, type CommissionReport, type Contract, type ContractDetails, type Execution, type IBApi, type Order, type OrderState } from '@stoqey/ib';
import type { Timer } from '../../execution/timer.ts';
import { VenueCallError } from '../../model/errors.ts';
import { inRevisionOrder } from './corrections.ts';

export interface OpenOrderItem {
  readonly orderId: number;
  readonly contract: Contract;
  readonly order: Order;
  readonly state: OrderState;
  /** From the orderStatus TWS sends with it. */
  filled?: number;
}

export interface ExecItem {
  readonly contract: Contract;
  readonly execution: Execution;
  commission?: CommissionReport;
}

export interface PositionItem {
  readonly account: string;
  readonly contract: Contract;
  readonly pos: number;
}

export interface AccountValueItem {
  readonly key: string;
  readonly value: string;
  readonly currency: string;
}

type Listener = (...args: never[]) => void;

/**
 * TWS's request/answer exchanges as promises: a request, the messages that answer it, and the
 * message that ends them (contractDetailsEnd, execDetailsEnd, openOrderEnd, positionEnd,
 * accountDownloadEnd). Those without a request id (open orders, positions, account) go one at a
 * time. A socket that drops or TWS that stays silent fails the read (VENUE_QUERY_FAILED).
 */
export class IbRequests {
  private reqId = 1_000;
  private serial: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly api: () => IBApi,
    private readonly timer: Timer,
    private readonly timeoutMs: number,
    private readonly commissionWaitMs: number,
  ) {}

  contractDetails(contract: Contract): Promise<ContractDetails[]> {
    const id = this.reqId++;
    const out: ContractDetails[] = [];
    return this.exchange('contract details', id, (on, done) => {
      on(EventName.contractDetails, (r: number, d: ContractDetails) => r === id && out.push(d));
      on(EventName.contractDetailsEnd, (r: number) => r === id && done(out));
    }, (api) => api.reqContractDetails(id, contract));
  }

  /** Executions (with their commission reports, waited for a while) of this client and account; an execution's revisions in order (corrections.ts). */
  executions(filter: { clientId: number; acctCode: string; time?: string }): Promise<ExecItem[]> {
    const wire = { ...filter, clientId: String(filter.clientId) };
    const id = this.reqId++;
    const out = new Map<string, ExecItem>();
    let ended = false;
    return this.exchange('executions', id, (on, done) => {
      const listed = () => inRevisionOrder([...out.values()], (x) => x.execution.execId);
      const finish = () => [...out.values()].every((x) => x.commission) && done(listed());
      on(EventName.execDetails, (r: number, contract: Contract, execution: Execution) => {
        if (r === id && execution.execId) out.set(execution.execId, { contract, execution });
      });
      on(EventName.commissionReport, (c: CommissionReport) => {
        const x = c.execId ? out.get(c.execId) : undefined;
        if (x) x.commission = c;
        if (ended) finish();
      });
      on(EventName.execDetailsEnd, (r: number) => {
        if (r !== id) return;
        ended = true;
        // Commission reports follow their executions; a missing one is not waited for forever.
        this.timer.schedule(this.commissionWaitMs, () => done(listed()));
        finish();
      });
    }, (api) => api.reqExecutions(id, wire));
  }

  /** Open orders: this client's (reqOpenOrders) or every client's and TWS's own (reqAllOpenOrders). */
  openOrders(all: boolean): Promise<OpenOrderItem[]> {
    const out = new Map<number, OpenOrderItem>();
    return this.one(() =>
      this.exchange('open orders', undefined, (on, done) => {
        on(EventName.openOrder, (orderId: number, contract: Contract, order: Order, state: OrderState) => void out.set(orderId, { orderId, contract, order, state, filled: out.get(orderId)?.filled }));
        on(EventName.orderStatus, (orderId: number, _status: string, filled: number) => {
          const x = out.get(orderId);
          if (x) x.filled = filled;
        });
        on(EventName.openOrderEnd, () => done([...out.values()]));
      }, (api) => (all ? api.reqAllOpenOrders() : api.reqOpenOrders())),
    );
  }

  positions(): Promise<PositionItem[]> {
    const out: PositionItem[] = [];
    return this.one(() =>
      this.exchange('positions', undefined, (on, done) => {
        on(EventName.position, (account: string, contract: Contract, pos: number) => void out.push({ account, contract, pos }));
        on(EventName.positionEnd, () => done(out));
      }, (api) => api.reqPositions()),
    );
  }

  /** The account's values (CashBalance, …) through one account update download. */
  accountValues(account: string): Promise<AccountValueItem[]> {
    const out: AccountValueItem[] = [];
    return this.one(() =>
      this.exchange('account values', undefined, (on, done) => {
        on(EventName.updateAccountValue, (key: string, value: string, currency: string, name: string) => name === account && out.push({ key, value, currency }));
        on(EventName.accountDownloadEnd, (name: string) => {
          if (name !== account) return;
          this.api().reqAccountUpdates(false, account);
          done(out);
        });
      }, (api) => api.reqAccountUpdates(true, account)),
    );
  }

  currentTime(): Promise<number> {
    return this.one(() =>
      this.exchange('current time', undefined, (on, done) => {
        on(EventName.currentTime, (t: number) => done(t));
      }, (api) => api.reqCurrentTime()),
    );
  }

  private one<T>(run: () => Promise<T>): Promise<T> {
    const next = this.serial.then(run, run);
    this.serial = next.catch(() => undefined);
    return next;
  }

  /**
   * Listens (`listen` registers with `on` and calls `done`), sends, and settles on done, an IB
   * error for `reqId`, the socket closing, or the timeout; the listeners go in every case.
   */
  private exchange<T>(what: string, reqId: number | undefined, listen: (on: (e: EventName, l: Listener) => void, done: (v: T) => void) => void, send: (api: IBApi) => void): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      let api: IBApi;
      try {
        api = this.api();
      } catch (e) {
        reject(new VenueCallError('VENUE_QUERY_FAILED', `${what}: ${(e as Error).message}`));
        return;
      }
      const registered: [EventName, Listener][] = [];
      let settled = false;
      const settle = (f: () => void) => {
        if (settled) return;
        settled = true;
        cancel();
        for (const [e, l] of registered) api.off(e as never, l as never);
        f();
      };
      const on = (e: EventName, l: Listener) => {
        registered.push([e, l]);
        api.on(e as never, l as never);
      };
      const fail = (why: string) => settle(() => reject(new VenueCallError('VENUE_QUERY_FAILED', `${what}: ${why}`)));
      const cancel = this.timer.schedule(this.timeoutMs, () => fail(`no answer from TWS within ${this.timeoutMs} ms`));
      listen(on, (v) => settle(() => resolve(v)));
      on(EventName.disconnected, () => fail('the connection to TWS closed'));
      if (reqId !== undefined) on(EventName.error, ((err: Error, code: number, id: number) => id === reqId && fail(`${err.message} (IB ${code})`)));
      send(api);
    });
  }
}
