import type { Instrument } from '../../model/instrument.ts';
import type { OrderSpec } from '../../model/orders/types.ts';
import type { OpenTrade } from './trades.ts';

/** What the adapter has told the engine of one order, so that a reply, a poll and a query saying the same thing count once. */
export interface Mt5Order {
  readonly wardenId: string;
  readonly comment: string;
  readonly magic: string;
  readonly instrument: Instrument;
  readonly symbol: string;
  readonly spec: OrderSpec | undefined;
  ticket: string | undefined;
  accepted: boolean;
  /** Filled whole: fills reported up to its quantity. */
  filled: boolean;
  /** Lots reported filled so far (raw, at the instrument's size precision). */
  filledRaw: bigint;
  /** The trade ids of the fills reported (`<ticket>:<deal>`, or `<ticket>:open`). */
  readonly reported: Set<string>;
  /** Canceled (or gone) reported. */
  ended: boolean;
}

/** The adapter's orders by Warden id, ticket, comment and magic. */
export class Mt5Book {
  private readonly byWarden = new Map<string, Mt5Order>();
  private readonly byTicket = new Map<string, Mt5Order>();
  private readonly byComment = new Map<string, Mt5Order>();
  private readonly byMagic = new Map<string, Mt5Order>();

  track(o: Omit<Mt5Order, 'accepted' | 'filled' | 'filledRaw' | 'reported' | 'ended' | 'ticket'> & { ticket?: string }): Mt5Order {
    const known = this.byWarden.get(o.wardenId);
    if (known) return known;
    const t: Mt5Order = { ...o, ticket: undefined, accepted: false, filled: false, filledRaw: 0n, reported: new Set(), ended: false };
    this.byWarden.set(o.wardenId, t);
    this.byComment.set(o.comment, t);
    this.byMagic.set(o.magic, t);
    if (o.ticket !== undefined) this.setTicket(t, o.ticket);
    return t;
  }

  setTicket(t: Mt5Order, ticket: string): void {
    t.ticket = ticket;
    this.byTicket.set(ticket, t);
  }

  byWardenId(id: string): Mt5Order | undefined {
    return this.byWarden.get(id);
  }

  byMagicNumber(magic: string): Mt5Order | undefined {
    return this.byMagic.get(magic);
  }

  byTicketId(ticket: string): Mt5Order | undefined {
    return this.byTicket.get(ticket);
  }

  /** The order an open ticket is: by its ticket, else by its comment (the id as sent), else by its magic number (a broker may rewrite comments). */
  ofTrade(x: OpenTrade): Mt5Order | undefined {
    const byTicket = this.byTicket.get(x.ticket);
    if (byTicket) return byTicket;
    const t = this.byComment.get(x.comment) ?? (x.magic !== '0' ? this.byMagic.get(x.magic) : undefined);
    return t && (t.ticket === undefined || t.ticket === x.ticket) ? t : undefined;
  }

  all(): Mt5Order[] {
    return [...this.byWarden.values()];
  }
}
