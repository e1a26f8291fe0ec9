import type { OrderSpec } from '../../model/orders/types.ts';
import type { AccountType } from '../../portfolio/account.ts';
import { needOf, type Need, type PendingLocks } from './buying-power.ts';
import type { OrderFacts } from './facts.ts';
import type { Held, WorkingSet } from './working.ts';

const NO_IDS: readonly string[] = Object.freeze([]);
/** Reused for every order added (no allocation); `currency` is set before it is read. */
const NEED: Need = { currency: undefined as unknown as Need['currency'], raw: 0n, what: '' };

/** The OCO/OUO legs an order is linked with: alternatives to it, at most one of them fills. */
export function alternativesOf(s: OrderSpec): readonly string[] {
  return s.contingency === 'OCO' || s.contingency === 'OUO' ? s.linkedOrderIds : NO_IDS;
}

/** One earlier order of the list: what it holds, so it can be suspended and given back. */
interface Entry {
  readonly clientOrderId: string;
  /** Its OCO/OUO legs: alternatives to it, at most one of them fills. */
  readonly alternatives: readonly string[];
  readonly held: Held;
  readonly accountId: string;
  readonly currency: string | undefined;
  readonly lock: bigint;
}

/**
 * The earlier orders of one order list while the gate checks the list (RiskGate.checkList), so
 * that each order meets the figures it would meet had the earlier ones been sent one by one:
 * every earlier order counts as a submit message (denied ones too, as OrderInitialized counts
 * them); one that passed also counts as working (quantity, open orders and resting price, held
 * in the working set itself so that every check reads it), locks its buying power and leaves its
 * fingerprint for the duplicate window. OCO/OUO legs are alternatives to each other: while one is
 * checked, the quantity and lock of its linked legs are taken out (their open order and message
 * still count). `close` gives everything back, leaving the working set as it was.
 */
export class ListOverlay implements PendingLocks {
  private readonly entries: Entry[] = [];
  private readonly suspended: Entry[] = [];
  private readonly byStrategy = new Map<string, number>();
  private readonly byAccount = new Map<string, number>();
  private readonly fingerprints = new Set<string>();
  /** account → currency code → raw amount: nested, so that no two pairs share a key. */
  private readonly locks = new Map<string, Map<string, bigint>>();

  constructor(private readonly working: WorkingSet) {}

  /** Earlier submits of the list by the strategy / the account. */
  submitsOfStrategy(strategyId: string): number {
    return this.byStrategy.get(strategyId) ?? 0;
  }
  submitsOfAccount(accountId: string): number {
    return this.byAccount.get(accountId) ?? 0;
  }

  /** Whether an earlier order of the list that passed had this fingerprint. */
  has(fingerprint: string): boolean {
    return this.fingerprints.has(fingerprint);
  }

  locked(accountId: string, currency: string): bigint {
    return this.locks.get(accountId)?.get(currency) ?? 0n;
  }

  /** Before an order is checked: takes out what its OCO/OUO alternatives add. */
  enter(clientOrderId: string, alternatives: readonly string[]): void {
    for (const e of this.entries) {
      if (!alternatives.includes(e.clientOrderId) && !e.alternatives.includes(clientOrderId)) continue;
      this.working.suspend(e.held, true);
      this.addLock(e.accountId, e.currency, -e.lock);
      this.suspended.push(e);
    }
  }

  /** After it was checked: puts the alternatives back. */
  leave(): void {
    for (let e = this.suspended.pop(); e !== undefined; e = this.suspended.pop()) {
      this.working.suspend(e.held, false);
      this.addLock(e.accountId, e.currency, e.lock);
    }
  }

  /** Counts a submit message of the list, passed or denied. */
  message(strategyId: string, accountId: string): void {
    this.byStrategy.set(strategyId, this.submitsOfStrategy(strategyId) + 1);
    this.byAccount.set(accountId, this.submitsOfAccount(accountId) + 1);
  }

  /** An order that passed (its facts): working, locking and a duplicate from now on for the rest of the list. */
  add(f: OrderFacts, alternatives: readonly string[], fingerprint: string, ref2: bigint, type: AccountType): void {
    const rest = f.type === 'LIMIT' ? f.px : undefined;
    const held = this.working.hold(f.book, f.side, f.leaves, rest);
    const locks = needOf(f, ref2, type, NEED);
    const currency = locks ? NEED.currency.code : undefined;
    const lock = locks ? NEED.raw : 0n;
    this.entries.push({ clientOrderId: f.clientOrderId, alternatives, held, accountId: f.accountId, currency, lock });
    this.addLock(f.accountId, currency, lock);
    this.fingerprints.add(fingerprint);
  }

  /** Gives back everything held in the working set, newest first. */
  close(): void {
    this.leave();
    for (let e = this.entries.pop(); e !== undefined; e = this.entries.pop()) this.working.release(e.held);
  }

  private addLock(accountId: string, currency: string | undefined, raw: bigint): void {
    if (currency === undefined || raw === 0n) return;
    let byCcy = this.locks.get(accountId);
    if (byCcy === undefined) this.locks.set(accountId, (byCcy = new Map<string, bigint>()));
    byCcy.set(currency, (byCcy.get(currency) ?? 0n) + raw);
  }
}
