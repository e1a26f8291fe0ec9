/**
 * The bridge EA a user installs (integrations/mt5/WardenBridge.mq5) speaks what the adapter
 * speaks. It cannot be compiled here (no MetaEditor), so its source is read: every command the
 * adapter's protocol.ts can build is dispatched by the EA to a handler and answered by the fake
 * bridge the adapter is tested against; each handler writes the `_action` the adapter waits for
 * and every key the fake bridge writes for that command; every key the adapter reads (found by
 * scanning src/venues/mt5) is written by the EA; every `_response` word the EA writes is one the
 * adapter reads as an error or one the fake bridge writes too.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Mt5VenueConfigSchema } from '../../../src/venues/mt5/config.ts';
import { replyError } from '../../../src/venues/mt5/errors.ts';
import { commands, parsePriceMessage, type Command, type TradeFields } from '../../../src/venues/mt5/protocol.ts';
import { isDict, parsePyLiteral, textOf, type PyValue } from '../../../src/venues/mt5/py-literal.ts';
import { FakeEa } from '../../support/fake-mt5/ea.ts';
import { commandValueOf, readEaSource, reachable, written } from '../../support/fake-mt5/ea-source.ts';
import { EURUSD_SPEC } from './harness.ts';

const ea = readEaSource();
const ADAPTER_DIR = new URL('../../../src/venues/mt5/', import.meta.url);

type Builder = keyof typeof commands;
interface Step {
  readonly builder: Builder;
  readonly cmd: Command;
  /** A fault the fake bridge meets on this step (the EA's error replies). */
  readonly fault?: { code: string; text: string } | 'ABORT';
}

const base: TradeFields = { type: 0, symbol: 'EURUSD', price: '0', comment: 'w-1', lots: '0.10', magic: 4242, ticket: '0' };
const at = (o: Partial<TradeFields>): TradeFields => ({ ...base, ...o });
const open = (o: Partial<TradeFields>) => commands.open(at(o));

/** A session with the fake bridge reaching each command's success and error replies (the fake's tickets start at 1001). */
const SCENARIO: readonly Step[] = [
  { builder: 'heartbeat', cmd: commands.heartbeat() },
  { builder: 'trackPrices', cmd: commands.trackPrices(['EURUSD', 'NOPE']) },
  { builder: 'trackPrices', cmd: commands.trackPrices([]) },
  { builder: 'symbolInfo', cmd: commands.symbolInfo('EURUSD') },
  { builder: 'symbolInfo', cmd: commands.symbolInfo('NOPE') },
  { builder: 'open', cmd: open({ type: 0 }) },
  { builder: 'open', cmd: open({ type: 2, price: '1.10000' }) },
  { builder: 'open', cmd: open({ type: 4, price: '1.11000' }) },
  { builder: 'open', cmd: open({ lots: '1000' }) },
  { builder: 'open', cmd: open({ symbol: 'NOPE' }) },
  { builder: 'open', cmd: open({ type: 0 }), fault: { code: '10019', text: 'No money' } },
  { builder: 'open', cmd: open({ type: 0 }), fault: 'ABORT' },
  { builder: 'openTrades', cmd: commands.openTrades() },
  { builder: 'modify', cmd: commands.modify(at({ ticket: '1002', price: '1.10100' })) },
  { builder: 'modify', cmd: commands.modify(at({ ticket: '1002', price: '1.10100' })), fault: { code: '10015', text: 'Invalid price' } },
  { builder: 'modify', cmd: commands.modify(at({ ticket: '9999' })) },
  // A pending price asked of a ticket that is a position (1001, the market order): refused NOT_PENDING.
  { builder: 'modify', cmd: commands.modify(at({ ticket: '1001', price: '1.10100' })) },
  { builder: 'closePartial', cmd: commands.closePartial(at({ ticket: '1001', lots: '0.05' })) },
  { builder: 'closePartial', cmd: commands.closePartial(at({ ticket: '1003', lots: '0.05' })) },
  { builder: 'close', cmd: commands.close(at({ ticket: '1001' })) },
  { builder: 'close', cmd: commands.close(at({ ticket: '1002' })), fault: { code: '10027', text: 'Autotrading disabled' } },
  { builder: 'close', cmd: commands.close(at({ ticket: '1002' })) },
  { builder: 'close', cmd: commands.close(at({ ticket: '9999' })) },
  { builder: 'accountInfo', cmd: commands.accountInfo() },
];

/** The EA's command (head, or head;action) a text is, as the EA's dispatch names it. */
const nameOf = (text: string) => commandValueOf(ea, text) ?? `unknown ${text.split(';').slice(0, 2).join(';')}`;

/** The fake bridge's replies to the scenario, parsed, by the EA command each answers. */
function fakeReplies(): Map<string, PyValue[]> {
  const fake = new FakeEa();
  fake.addSymbol(EURUSD_SPEC, '1.10230', '1.10236');
  const out = new Map<string, PyValue[]>();
  for (const s of SCENARIO) {
    const action = s.cmd.text.split(';')[1]!;
    if (s.fault === 'ABORT') fake.faults.set(action, [{ kind: 'ABORT', response: 'TRADE_CONTEXT_BUSY__ABORTED_COMMAND' }]);
    else if (s.fault) fake.faults.set(action, [{ kind: 'ERROR', ...s.fault }]);
    const reply = fake.handle(s.cmd.text);
    if (reply === undefined) throw new Error(`the fake bridge does not answer ${s.cmd.text}`);
    const name = nameOf(s.cmd.text);
    out.set(name, [...(out.get(name) ?? []), parsePyLiteral(reply)]);
  }
  return out;
}

/** Every string key of a parsed reply, nested ones included (OPEN_TRADES' tickets are ints: not keys). */
function keysOf(v: PyValue, into = new Set<string>()): Set<string> {
  if (Array.isArray(v)) v.forEach((x) => keysOf(x, into));
  else if (isDict(v)) {
    for (const [k, x] of v.entries) {
      if (typeof k === 'string') into.add(k);
      keysOf(x, into);
    }
  }
  return into;
}

/** The reply keys the adapter reads: `'_…'` literals and dictGet's literal keys in src/venues/mt5. */
function adapterKeys(): Set<string> {
  const keys = new Set<string>();
  for (const file of readdirSync(ADAPTER_DIR).filter((f) => f.endsWith('.ts'))) {
    const src = readFileSync(new URL(file, ADAPTER_DIR), 'utf8');
    for (const m of src.matchAll(/'(_[A-Za-z]\w*)'/g)) keys.add(m[1]!);
    for (const m of src.matchAll(/dictGet\(\s*\w+\s*,\s*'(\w+)'\s*\)/g)) keys.add(m[1]!);
  }
  return keys;
}

const replies = fakeReplies();
const handlerOf = (text: string) => ea.handlers.get(commandValueOf(ea, text) ?? '');
/** The first step of each builder (each builds one kind of command). */
const firstOfEach = SCENARIO.filter((s, i) => SCENARIO.findIndex((x) => x.builder === s.builder) === i);
const everyCommand = firstOfEach.map((s) => s.cmd);

describe('WardenBridge.mq5 speaks the adapter’s protocol', () => {
  it('the scenario calls every command builder protocol.ts exports', () => {
    expect(new Set(SCENARIO.map((s) => s.builder))).toEqual(new Set(Object.keys(commands)));
    // The source was read: the table and the switch are there at all.
    expect(ea.commandTable.length).toBeGreaterThanOrEqual(9);
    expect(ea.handlers.size).toBeGreaterThanOrEqual(9);
  });

  for (const s of firstOfEach) {
    const head = s.cmd.text.split(';').slice(0, /^(TRADE|DATA);/.test(s.cmd.text) ? 2 : 1).join(';');
    it(`dispatches ${head} (commands.${s.builder}) to a handler the file defines; the fake bridge answers it too`, () => {
      const value = commandValueOf(ea, s.cmd.text);
      expect(value, `CommandOf does not know ${s.cmd.text}`).toBeDefined();
      const handler = ea.handlers.get(value!);
      expect(handler, `Reply has no case ${String(value)}`).toBeDefined();
      expect(ea.functions.has(handler!), `no function ${String(handler)}`).toBe(true);
      expect(replies.get(value!)?.length).toBeGreaterThan(0);
    });
  }

  for (const cmd of everyCommand) {
    const name = nameOf(cmd.text);
    it(`${name}: the EA writes the _action '${cmd.replyAction}' the adapter pairs it by, and every key the fake bridge writes`, () => {
      const handler = handlerOf(cmd.text);
      expect(handler, `no handler for ${name}`).toBeDefined();
      const w = written(ea, reachable(ea, handler!));
      expect([...w.actions]).toContain(cmd.replyAction);
      const fakeKeys = new Set((replies.get(name) ?? []).flatMap((r) => [...keysOf(r)]));
      // The refusal before acting (DWX's CheckOpsStatus) writes `_response` for every command.
      const eaKeys = new Set([...w.keys, ...written(ea, reachable(ea, 'Refusal')).keys]);
      expect(fakeKeys.size).toBeGreaterThan(0);
      expect([...fakeKeys].filter((k) => !eaKeys.has(k))).toEqual([]);
    });
  }

  it('writes every reply key the adapter reads (keys found by scanning src/venues/mt5), as the fake bridge does', () => {
    const keys = adapterKeys();
    expect(keys).toContain('_open_price');
    expect(keys).toContain('account_number');
    const eaKeys = written(ea, [...ea.functions.keys()]).keys;
    const fakeKeys = new Set([...replies.values()].flat().flatMap((r) => [...keysOf(r)]));
    expect([...keys].filter((k) => !eaKeys.has(k))).toEqual([]);
    expect([...keys].filter((k) => !fakeKeys.has(k))).toEqual([]);
  });

  it('writes no _response word the adapter would take for success unless the fake bridge writes it too', () => {
    const responses = written(ea, [...ea.functions.keys()]).responses;
    expect(responses).toContain('NOT_FOUND');
    const fakeWords = new Set(
      [...replies.values()].flat().flatMap((r) => (isDict(r) ? r.entries.filter(([k]) => k === '_response').map(([, v]) => textOf(v) ?? '') : [])),
    );
    const unknown = [...responses].filter((word) => replyError({ kind: 'dict', entries: [['_response', word]] }, 'x') === undefined && !fakeWords.has(word));
    expect(unknown).toEqual([]);
  });

  it('lists deals and volumes filled (Warden’s extension) in EXECUTION and OPEN_TRADES, and refuses a pending price on a position', () => {
    for (const [handler, keys] of [['ReplyOpen', ['_lots_filled', '_fills', '_deal', '_lots', '_price']], ['ReplyOpenTrades', ['_lots_filled', '_fills', '_deal', '_price']]] as const) {
      const w = written(ea, reachable(ea, handler));
      expect(keys.filter((k) => !w.keys.has(k)), handler).toEqual([]);
    }
    expect([...written(ea, reachable(ea, 'ReplyModify')).responses]).toContain('NOT_PENDING');
    const modifies = replies.get('CMD_MODIFY') ?? [];
    expect(modifies.map((r) => textOf(isDict(r) ? r.entries.find(([k]) => k === '_response')?.[1] : undefined))).toContain('NOT_PENDING');
    expect(replyError({ kind: 'dict', entries: [['_response', 'NOT_PENDING']] }, 'modify')?.message).toMatch(/^TOO_LATE_TO_MODIFY/);
  });

  it('binds by default the ports Warden connects to by default (DWX 32768/32769/32770)', () => {
    const d = Mt5VenueConfigSchema.parse({ type: 'mt5' });
    expect([ea.inputs.get('PUSH_PORT'), ea.inputs.get('PULL_PORT'), ea.inputs.get('PUB_PORT')]).toEqual([String(d.command_port), String(d.reply_port), String(d.price_port)]);
  });

  it('publishes prices as SYMBOL:|:BID;ASK, the form the adapter reads', () => {
    const body = ea.functions.get('PublishPrices') ?? '';
    // `quote = bid + "<between>" + ask` and `symbol + "<after symbol>" + quote`, as PublishPrices writes them.
    const between = /tick\.bid[^;]*?\+\s*"([^"]*)"\s*\+\s*DoubleToString\(\s*tick\.ask/.exec(body)?.[1];
    const afterSymbol = /\+\s*"([^"]*)"\s*\+\s*quote\b/.exec(body)?.[1];
    expect([afterSymbol, between]).toEqual([':|:', ';']);
    expect(parsePriceMessage(`EURUSD${afterSymbol!}1.10230${between!}1.10236`)).toEqual({ symbol: 'EURUSD', bid: '1.10230', ask: '1.10236' });
  });
});
