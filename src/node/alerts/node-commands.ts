import type { Engine } from '../../engine/engine.ts';
import type { Operator } from '../../engine/origin.ts';
import type { RiskControl } from '../../risk/control/risk-control.ts';
import type { NodeCommands } from './telegram-bot.ts';

/** What the commands read and do: the node hands these, and the bot sees only the three callbacks built from them. */
export interface CommandSources {
  readonly nodeId: string;
  readonly mode: string;
  readonly engine: Engine;
  /** Absent: the node has no risk config, so no kill switch to engage. */
  readonly control: () => RiskControl | undefined;
  readonly counts: () => { readonly orders: number; readonly fills: number; readonly denied: number; readonly ts: number };
  /** Applied to any error text told back to a chat. */
  readonly scrub: (text: string) => string;
}

const iso = (ts: number): string => (Number.isFinite(ts) ? new Date(ts).toISOString() : String(ts));

/**
 * The Telegram commands of a node: /status (kill switch, trading states, open breakers, counts),
 * /positions (each open position), and halt: the kill switch engaged by an operator credential
 * issued for `telegram:<chat id>` with the RISK role, so the journal names the chat that did it.
 */
export function nodeCommands(src: CommandSources): NodeCommands {
  const operators = new Map<string, Operator>();
  return {
    status: () => statusText(src),
    positions: () => positionsText(src.engine),
    async halt({ chatId, reason }) {
      const control = src.control();
      if (!control) return 'This node has no risk controls configured: there is no kill switch to engage.';
      let op = operators.get(chatId);
      if (!op) {
        op = src.engine.authority.issue(`telegram:${chatId}`, ['RISK']);
        operators.set(chatId, op);
      }
      try {
        await control.engageKillSwitch({ operator: op, reason });
      } catch (e) {
        const err = e as { code?: unknown; message?: unknown };
        return src.scrub(`Halt failed: ${typeof err.code === 'string' ? `${err.code}: ` : ''}${typeof err.message === 'string' ? err.message : String(e)}`);
      }
      const ks = control.status().killSwitch;
      return `Kill switch ENGAGED by ${ks?.operator ?? op.identity}: ${ks?.reason ?? reason}. Working orders are being canceled.`;
    },
  };
}

function statusText(src: CommandSources): string {
  const c = src.counts();
  const lines = [`Node ${src.nodeId} (${src.mode}) at ${iso(src.engine.now())}`];
  const control = src.control();
  if (control) {
    const s = control.status();
    lines.push(s.killSwitch ? `Kill switch: ENGAGED by ${s.killSwitch.operator} since ${iso(s.killSwitch.since)}: ${s.killSwitch.reason}` : 'Kill switch: off');
    const states = s.tradingStates.filter((t) => t.state !== 'ACTIVE');
    lines.push(states.length === 0 ? 'Trading: ACTIVE everywhere' : `Trading: ${states.map((t) => `${t.scope} ${t.state}`).join(', ')}`);
    const open = s.breakers.filter((b) => b.state === 'OPEN');
    lines.push(open.length === 0 ? 'Breakers: all closed' : `Breakers open: ${open.map((b) => `${b.breaker} on ${b.scope}${b.value !== undefined ? ` (${b.value} / ${b.threshold ?? '?'})` : ''}`).join(', ')}`);
  } else lines.push('No risk controls configured.');
  const working = [...src.engine.openOrders()].length;
  lines.push(`Orders ${c.orders}, fills ${c.fills}, denied ${c.denied}; working now ${working}`);
  return lines.join('\n');
}

function positionsText(engine: Engine): string {
  const open = engine.portfolio.openPositions();
  if (open.length === 0) return 'No open positions.';
  return open
    .map((p) => {
      const avg = p.avgEntryPxText(0);
      return `${p.instrumentId} ${p.side} ${p.quantity.toString()}${avg !== undefined ? ` @ ${avg}` : ''} (account ${p.accountId}, strategy ${p.strategyId}, realized ${p.realizedPnl.toString()})`;
    })
    .join('\n');
}
