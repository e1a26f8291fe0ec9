/**
 * A trading node as its own process for the cluster tests: `node --import tsx node-child.ts
 * <config.yaml>` starts the node from the config (as `warden run` does: TradingNode.start, then
 * run to the end of its data, kept open), then takes JSON commands on stdin, one a line, and
 * answers JSON lines on stdout:
 *
 *   {"do":"submit","id":"o1","side":"BUY","qty":"1","price":"100"} → {"id":"o1","status":"ACCEPTED"} | {"id":"o1","denied":"FIRM_BUDGET_EXCEEDED"}
 *   {"do":"status"}                                                  → {"status":{"killSwitch":"firm:alice","firm":"ACTIVE","open":[{"id":"o1","status":"ACCEPTED"}]}}
 *   {"do":"kill","reason":"..."}                                     → {"killed":true}
 *   {"do":"caughtUp"}                                                → {"caughtUp":<journal seq>} once every event up to it is on the stream
 *
 * and each alert as {"alert":"NATS_LOST"}; {"ready":true} once started; {"halted":true,"open":n}
 * the moment its kill switch is engaged and every working order has a cancel requested.
 */
import { createInterface } from 'node:readline';
import { loadNodeConfig } from '../../../src/node/config/index.ts';
import { TradingNode } from '../../../src/node/trading-node.ts';
import { operatorOrigin } from '../../../src/engine/origin.ts';

const say = (x: unknown): void => void process.stdout.write(`${JSON.stringify(x)}\n`);

const { config, secrets } = loadNodeConfig(process.argv[2]!, process.env);
const node = await TradingNode.start(config, { secrets });
const op = node.engine.authority.issue('tester', ['RISK', 'TRADE']);
const origin = operatorOrigin(op);
node.engine.bus.subscribe('alert', (a) => say({ alert: a.code }));
await node.run({ keepOpen: true });

const working = (): { id: string; status: string }[] => [...node.engine.openOrders()].map((o) => ({ id: o.clientOrderId, status: o.status }));
let reportedHalt = false;
node.engine.bus.subscribe('order', () => checkHalted());
node.engine.bus.subscribe('record', () => checkHalted());

function checkHalted(): void {
  if (reportedHalt || !node.engine.risk.killSwitch) return;
  const open = working();
  if (open.some((o) => o.status !== 'PENDING_CANCEL')) return;
  reportedHalt = true;
  say({ halted: true, open: open.length, at: Date.now() });
}

async function handle(line: string): Promise<void> {
  const c = JSON.parse(line) as { do: string; id?: string; side?: string; qty?: string; price?: string; reason?: string };
  switch (c.do) {
    case 'submit': {
      const r = await node.route({ clientOrderId: c.id!, accountId: 'ACC-1', instrumentId: 'BTCUSDT.SIM', side: c.side!, type: 'LIMIT', quantity: c.qty!, price: c.price! }, origin);
      const denied = r.denied[0];
      say(denied ? { id: c.id, denied: denied.code } : { id: c.id, status: node.engine.order(c.id!)?.status ?? 'UNKNOWN' });
      return;
    }
    case 'status':
      say({ status: { killSwitch: node.engine.risk.killSwitch?.operator ?? null, firm: node.engine.risk.stateOf('FIRM'), open: working() } });
      return;
    case 'kill':
      await node.cluster!.setKill(true, 'alice', c.reason ?? 'test');
      say({ killed: true });
      return;
    case 'caughtUp': {
      const seq = node.records.durableSeq();
      await node.firmEvents?.publisher?.caughtUp(seq);
      say({ caughtUp: seq });
      return;
    }
    default:
      say({ error: `unknown command ${c.do}` });
  }
}

say({ ready: true, node: config.node.id });
const rl = createInterface({ input: process.stdin });
let chain = Promise.resolve();
rl.on('line', (line) => {
  chain = chain.then(() => handle(line)).catch((e: unknown) => say({ error: String(e) }));
});
rl.on('close', () => {
  void chain.then(async () => {
    await node.stop();
    process.exit(0);
  });
});
