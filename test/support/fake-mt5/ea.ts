/**
 * What the DWX_ZeroMQ_Server expert advisor does with a command, and the reply text it writes
 * (built by string concatenation, doubles through DoubleToString's 8 places, as the EA does), over
 * a small terminal: symbols with their quotes, open trades and pending orders by ticket, a fill
 * model for pending orders (a limit at its price when the market reaches it, a stop at its price
 * once crossed; or filled in part by hand, `fillPart`), and the deals that filled each order, as
 * the bundled EA lists them (`_fills`, `_lots_filled`). Positions keep their ticket through a
 * partial close, as an MT5 hedging account; a pending order filled in part is listed twice under
 * its ticket, as the position its deals opened and as the pending order still working.
 */

export interface SymbolSpec {
  readonly symbol: string;
  readonly digits: number;
  readonly point: string;
  readonly volumeMin: string;
  readonly volumeMax: string;
  readonly volumeStep: string;
  readonly contractSize: string;
  readonly base: string;
  readonly profit: string;
}

/** A deal that filled (part of) an order. */
export interface Deal {
  readonly deal: number;
  readonly lots: string;
  readonly price: string;
}

export interface Trade {
  readonly ticket: number;
  type: number;
  readonly symbol: string;
  /** A position's volume; a pending order's volume still to fill. */
  lots: string;
  /** The deals that filled the order so far. */
  readonly deals: Deal[];
  price: string;
  openTime: string;
  readonly comment: string;
  readonly magic: number;
}

/** A fault the next matching command meets (see FakeMt5Bridge). */
export type Fault =
  | { readonly kind: 'ERROR'; readonly code: string; readonly text: string }
  | { readonly kind: 'ABORT'; readonly response: string };

const ERRORS: Readonly<Record<string, string>> = { '130': 'invalid stops', '4106': 'unknown symbol', '131': 'invalid trade volume' };

/** DoubleToString(x) of an exact decimal text: 8 places. */
export function fixed(text: string, places = 8): string {
  const [whole, frac = ''] = text.split('.');
  if (frac.length > places) throw new Error(`${text} has more than ${places} places`);
  return `${whole ?? '0'}.${frac.padEnd(places, '0')}`;
}

/** Exact decimal comparison of two texts (a - b sign), for the fill model. */
export function cmpDecimal(a: string, b: string): number {
  const scale = Math.max(a.split('.')[1]?.length ?? 0, b.split('.')[1]?.length ?? 0);
  const raw = (t: string) => {
    const [w, f = ''] = t.split('.');
    return BigInt(w! + f.padEnd(scale, '0'));
  };
  const d = raw(a) - raw(b);
  return d > 0n ? 1 : d < 0n ? -1 : 0;
}

function subDecimal(a: string, b: string): string {
  const scale = Math.max(a.split('.')[1]?.length ?? 0, b.split('.')[1]?.length ?? 0);
  const raw = (t: string) => {
    const [w, f = ''] = t.split('.');
    return BigInt(w! + f.padEnd(scale, '0'));
  };
  const d = (raw(a) - raw(b)).toString().padStart(scale + 1, '0');
  return scale === 0 ? d : `${d.slice(0, -scale)}.${d.slice(-scale)}`;
}

/** Lots an order's deals come to. */
function filledOf(t: Trade): string {
  return t.deals.reduce((sum, d) => addDecimal(sum, d.lots), '0');
}

function addDecimal(a: string, b: string): string {
  const scale = Math.max(a.split('.')[1]?.length ?? 0, b.split('.')[1]?.length ?? 0);
  const raw = (t: string) => {
    const [w, f = ''] = t.split('.');
    return BigInt(w! + f.padEnd(scale, '0'));
  };
  const d = (raw(a) + raw(b)).toString().padStart(scale + 1, '0');
  return scale === 0 ? d : `${d.slice(0, -scale)}.${d.slice(-scale)}`;
}

/** The EA's `_fills` list. */
function fillsText(deals: readonly Deal[]): string {
  return `[${deals.map((d) => `{'_deal': ${d.deal}, '_lots': ${fixed(d.lots)}, '_price': ${fixed(d.price)}}`).join(', ')}]`;
}

export class FakeEa {
  readonly symbols = new Map<string, SymbolSpec>();
  readonly quotes = new Map<string, { bid: string; ask: string }>();
  readonly trades = new Map<number, Trade>();
  /** Symbols whose prices are published (TRACK_PRICES); the EA forgets them when restarted. */
  tracked: string[] = [];
  maximumLotSize = '100';
  /** The next market OPEN fills only this many lots (DONE_PARTIAL, the rest canceled as IOC); undefined: whole. */
  partialMarketFill: string | undefined;
  /** Whether replies list deals and volumes filled (`_fills`, `_lots_filled`), as the bundled EA; false: as the stock DWX EA, which does not. */
  listsDeals = true;
  /** Run when the next TRADE command of an action is taken, before it is acted on (a fill racing a modify), first in first out. */
  readonly before = new Map<string, (() => void)[]>();
  private nextTicket = 1000;
  private nextDeal = 5000;
  /** Faults for the next command of an action (OPEN, MODIFY, CLOSE, ...), first in first out. */
  readonly faults = new Map<string, Fault[]>();
  /** Every command taken, in order (tests look at what was sent). */
  readonly log: string[] = [];
  time = '2026.12.07 10:00:00';

  addSymbol(s: SymbolSpec, bid: string, ask: string): void {
    this.symbols.set(s.symbol, s);
    this.quotes.set(s.symbol, { bid, ask });
  }

  /** The reply to one command text, or undefined where the EA writes none (a command it does not know). */
  handle(text: string): string | undefined {
    this.log.push(text);
    const c = text.split(';');
    if (c[0] === 'HEARTBEAT') return "{'_action': 'heartbeat', '_response': 'loud and clear!'}";
    if (c[0] === 'TRACK_PRICES') return this.track(c.slice(1).filter((s) => s !== ''));
    if (c[0] === 'DATA' && c[1] === 'SYMBOL_INFO') return this.symbolInfo(c[2] ?? '');
    if (c[0] !== 'TRADE') return undefined;
    this.before.get(c[1]!)?.shift()?.();
    const fault = this.faults.get(c[1]!)?.shift();
    if (fault?.kind === 'ABORT') return `{'_response': '${fault.response}'}`;
    const f = { type: Number(c[2]), symbol: c[3]!, price: c[4]!, comment: c[7]!, lots: c[8]!, magic: Number(c[9]), ticket: Number(c[10]) };
    switch (c[1]) {
      case 'OPEN':
        return `{${this.open(f, fault)}}`;
      case 'MODIFY':
        return `{'_action': 'MODIFY'${this.modify(f.ticket, f.price, fault)}}`;
      case 'CLOSE':
        return `{${this.close(f.ticket, undefined, fault)}}`;
      case 'CLOSE_PARTIAL':
        return `{${this.close(f.ticket, f.lots, fault)}}`;
      case 'GET_OPEN_TRADES':
        return `{${this.openTrades()}}`;
      case 'GET_ACCOUNT_INFO':
        return `{'_action': 'GET_ACCOUNT_INFORMATION', 'account_number':5551234, '_data': [{'currenttime': '${this.time.slice(0, 16)}', 'account_name':'Warden Demo', 'account_balance':10000.00000000, 'account_equity':10000.00000000, 'account_profit':0.00000000, 'account_free_margin':10000.00000000, 'account_leverage' :100}]}`;
      default:
        return undefined;
    }
  }

  private track(symbols: string[]): string {
    const errors = symbols.filter((s) => !this.symbols.has(s));
    this.tracked = symbols.filter((s) => this.symbols.has(s));
    if (symbols.length === 0) return "{'_action': 'TRACK_PRICES', '_data': {'symbol_count': 0}}";
    return `{'_action': 'TRACK_PRICES', '_data': {'symbol_count':${symbols.length}, 'error_symbols':[${errors.map((e) => `'${e}'`).join(', ')}]}}`;
  }

  private symbolInfo(symbol: string): string {
    const s = this.symbols.get(symbol);
    if (!s) return `{'_action': 'SYMBOL_INFO', '_symbol': '${symbol}', '_response': 'NOT_FOUND'}`;
    return (
      `{'_action': 'SYMBOL_INFO', '_symbol': '${symbol}', '_digits': ${s.digits}, '_point': ${fixed(s.point)}, '_volume_min': ${fixed(s.volumeMin)}, ` +
      `'_volume_max': ${fixed(s.volumeMax)}, '_volume_step': ${fixed(s.volumeStep)}, '_contract_size': ${fixed(s.contractSize)}, ` +
      `'_currency_base': '${s.base}', '_currency_profit': '${s.profit}', '_currency_margin': '${s.base}'}`
    );
  }

  private open(f: { type: number; symbol: string; price: string; comment: string; lots: string; magic: number }, fault: Fault | undefined): string {
    let r = "'_action': 'EXECUTION'";
    if (cmpDecimal(f.lots, this.maximumLotSize) > 0) return r + ", '_response': 'LOT_SIZE_ERROR', 'response_value': 'MAX_LOT_SIZE_EXCEEDED'";
    const q = this.quotes.get(f.symbol);
    const err = (code: string, text = ERRORS[code] ?? 'unknown error') => `${r}, '_response': '${code}', 'response_value': '${text}'`;
    if (fault?.kind === 'ERROR') return err(fault.code, fault.text);
    if (!q) return err('4106');
    let price = f.price;
    if (f.type === 0) price = q.ask;
    else if (f.type === 1) price = q.bid;
    else if (!this.pendingPriceValid(f.type, price, q)) return err('130');
    const ticket = ++this.nextTicket;
    const t: Trade = { ticket, type: f.type, symbol: f.symbol, lots: f.lots, deals: [], price, openTime: this.time, comment: f.comment.slice(0, 31), magic: f.magic };
    if (f.type <= 1) {
      const part = this.partialMarketFill;
      this.partialMarketFill = undefined;
      t.lots = part !== undefined && cmpDecimal(part, f.lots) < 0 ? part : f.lots;
      t.deals.push({ deal: ++this.nextDeal, lots: t.lots, price });
    }
    this.trades.set(ticket, t);
    r += `, '_symbol': '${f.symbol}', '_magic': ${f.magic}, '_ticket': ${ticket}, '_open_time': '${this.time}', '_open_price': ${fixed(price)}`;
    return this.listsDeals ? r + `, '_lots_filled': ${fixed(f.type <= 1 ? t.lots : '0')}, '_fills': ${fillsText(t.deals)}` : r;
  }

  /** A pending order on the right side of the market (MT refuses a buy limit above the ask: invalid stops). */
  private pendingPriceValid(type: number, price: string, q: { bid: string; ask: string }): boolean {
    if (type === 2) return cmpDecimal(price, q.ask) < 0;
    if (type === 3) return cmpDecimal(price, q.bid) > 0;
    if (type === 4) return cmpDecimal(price, q.ask) > 0;
    if (type === 5) return cmpDecimal(price, q.bid) < 0;
    return false;
  }

  private modify(ticket: number, price: string, fault: Fault | undefined): string {
    const t = this.trades.get(ticket);
    if (!t) return ", '_response': 'NOT_FOUND'";
    // The bundled EA: a pending price asked of a ticket that is a position now (it filled) is refused, not taken as SL/TP.
    if (t.type <= 1 && cmpDecimal(price, '0') !== 0) return ", '_response': 'NOT_PENDING', '_response_value': 'the ticket has filled: it is a position, not a pending order'";
    const newPrice = t.type <= 1 || cmpDecimal(price, '0') === 0 ? t.price : price;
    if (fault?.kind === 'ERROR') return `, '_response': '${fault.code}', '_response_value': '${fault.text}', '_sl_attempted': ${fixed(newPrice)}, '_tp_attempted': ${fixed(newPrice)}`;
    if (t.type > 1 && !this.pendingPriceValid(t.type, newPrice, this.quotes.get(t.symbol)!)) {
      return `, '_response': '130', '_response_value': 'invalid stops', '_sl_attempted': ${fixed(newPrice)}, '_tp_attempted': ${fixed(newPrice)}`;
    }
    t.price = newPrice;
    // The bundled EA reads 0 points as "no SL/TP" (the stock EA would put them at the price).
    return ", '_sl': 0.00000000, '_tp': 0.00000000";
  }

  private close(ticket: number, lots: string | undefined, fault: Fault | undefined): string {
    let r = `'_action': 'CLOSE', '_ticket': ${ticket}`;
    const t = this.trades.get(ticket);
    if (fault?.kind === 'ERROR') return r + `, '_response': '${fault.code}', '_response_value': '${fault.text}'`;
    if (!t) return r + ", '_response': 'NOT_FOUND'";
    if (t.type > 1) {
      // Deleting a pending order filled in part leaves the position its deals opened.
      if (t.deals.length > 0) this.toPosition(t);
      else this.trades.delete(ticket);
      return r + ", '_response': 'CLOSE_PENDING', '_response_value': 'SUCCESS'";
    }
    const q = this.quotes.get(t.symbol)!;
    const closePrice = t.type === 0 ? q.bid : q.ask;
    const partial = lots !== undefined;
    const size = partial && cmpDecimal(lots, '0.01') >= 0 && cmpDecimal(lots, t.lots) <= 0 ? lots : t.lots;
    if (partial) r += ", '_response': 'CLOSE_PARTIAL'";
    r += `, '_close_price': ${fixed(closePrice)}, '_close_lots': ${fixed(size)}`;
    t.lots = subDecimal(t.lots, size);
    if (cmpDecimal(t.lots, '0') === 0) this.trades.delete(ticket);
    return partial ? r : r + ", '_response': 'CLOSE_MARKET', '_response_value': 'SUCCESS'";
  }

  /** Positions first, then pending orders, newest first, as the EA walks PositionsTotal and OrdersTotal; a pending order filled in part is in both. */
  private openTrades(): string {
    const all = [...this.trades.values()].reverse();
    const entry = (t: Trade, type: number, lots: string, extra: string) =>
      `${t.ticket}: {'_magic': ${t.magic}, '_symbol': '${t.symbol}', '_lots': ${fixed(lots)}, '_type': ${type}, '_open_price': ${fixed(t.price)}, ` +
      `'_open_time': '${t.openTime}', '_SL': 0.00000000, '_TP': 0.00000000, '_pnl': 0.00000000, '_comment': '${t.comment}'` +
      (this.listsDeals ? `${extra}, '_fills': ${fillsText(t.deals)}}` : '}');
    const positions = all.filter((t) => t.type <= 1 || t.deals.length > 0).map((t) => (t.type <= 1 ? entry(t, t.type, t.lots, '') : entry(t, t.type % 2, filledOf(t), '')));
    const pending = all.filter((t) => t.type > 1).map((t) => entry(t, t.type, t.lots, `, '_lots_filled': ${fixed(filledOf(t))}`));
    return `'_action': 'OPEN_TRADES', '_trades': {${[...positions, ...pending].join(', ')}}`;
  }

  /** Moves the market; pending orders it reaches fill (what is left of them, in one deal at their price). Returns the tickets filled. */
  setQuote(symbol: string, bid: string, ask: string): number[] {
    this.quotes.set(symbol, { bid, ask });
    const filled: number[] = [];
    for (const t of this.trades.values()) {
      if (t.symbol !== symbol || t.type <= 1) continue;
      const hit =
        (t.type === 2 && cmpDecimal(ask, t.price) <= 0) ||
        (t.type === 3 && cmpDecimal(bid, t.price) >= 0) ||
        (t.type === 4 && cmpDecimal(ask, t.price) >= 0) ||
        (t.type === 5 && cmpDecimal(bid, t.price) <= 0);
      if (!hit) continue;
      this.fillPart(t.ticket, t.lots);
      filled.push(t.ticket);
    }
    return filled;
  }

  /** `lots` of a pending order fill in one deal at its price (exchange execution); all of what is left: it is a position. */
  fillPart(ticket: number, lots: string): void {
    const t = this.trades.get(ticket);
    if (!t || t.type <= 1 || cmpDecimal(lots, '0') <= 0 || cmpDecimal(lots, t.lots) > 0) throw new Error(`ticket ${ticket} cannot fill ${lots} lots`);
    t.deals.push({ deal: ++this.nextDeal, lots, price: t.price });
    t.lots = subDecimal(t.lots, lots);
    if (cmpDecimal(t.lots, '0') === 0) this.toPosition(t);
  }

  /** A pending order done filling (or deleted after a part filled): the position its deals opened. */
  private toPosition(t: Trade): void {
    t.type = t.type % 2;
    t.lots = filledOf(t);
    t.openTime = this.time;
  }

  /** An order placed at the terminal by hand (not by Warden). */
  placeExternal(t: Omit<Trade, 'ticket' | 'openTime' | 'deals'>): number {
    const ticket = ++this.nextTicket;
    this.trades.set(ticket, { ...t, deals: [], ticket, openTime: this.time });
    return ticket;
  }

  /** The price line the EA publishes for a tracked symbol: `SYMBOL:|:%f;%f`. */
  priceLine(symbol: string): string | undefined {
    const q = this.quotes.get(symbol);
    return q && this.tracked.includes(symbol) ? `${symbol}:|:${fixed(q.bid, 6)};${fixed(q.ask, 6)}` : undefined;
  }
}
