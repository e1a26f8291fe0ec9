/**
 * `warden firm view|kill|reset|status|budget|forget-node --nats URL --firm NAME`: the firm view
 * (src/cli/firm-view.ts), the firm budget ledger, and the firm kill switch from a shell, for
 * every node of the firm at once (src/cluster/kill). Writing the key is the whole act: each node
 * watches it and follows. The operator is named (--operator, default $USER) and so is the reason.
 */
import type { Command } from 'commander';
import type { FirmCliOptions } from './firm-view.ts';
import type { openControl } from '../cluster/kill/firm-kill-switch.ts';
import { CLUSTER_NAME, CLUSTER_NAME_RULE } from '../node/config/cluster.ts';
import { bad } from './flags.ts';

interface FirmOptions {
  nats: string;
  firm: string;
  reason?: string;
  operator?: string;
}

interface LedgerOptions extends FirmOptions {
  bucket: string;
  node?: string;
  json?: boolean;
}

/** --nats and --firm as every firm command reads them: the server list, and a firm name as `cluster.firm` allows. */
export function firmTarget(o: { readonly nats: string; readonly firm: string }): { servers: string[]; firm: string } {
  if (!CLUSTER_NAME.test(o.firm)) throw bad('firm', `${CLUSTER_NAME_RULE} (the firm of the nodes' cluster.firm)`);
  const servers = o.nats.split(',').map((s) => s.trim()).filter((s) => s !== '');
  if (servers.length === 0) throw bad('nats', 'needs at least one NATS server URL, e.g. nats://127.0.0.1:4222');
  return { servers, firm: o.firm };
}

/** One NATS connection for one firm command, closed after it. */
async function withNats<T>(o: FirmOptions, f: (nc: import('@nats-io/transport-node').NatsConnection) => Promise<T>): Promise<T> {
  // NATS loads only when a firm command runs, not with every `warden` start.
  const { connectNats } = await import('../cluster/budget/nats-link.ts');
  const { servers } = firmTarget(o);
  const nc = await connectNats(servers, `warden-cli-${o.firm}`);
  try {
    return await f(nc);
  } finally {
    await nc.close();
  }
}

async function withControl<T>(o: FirmOptions, f: (kv: Awaited<ReturnType<typeof openControl>>) => Promise<T>): Promise<T> {
  const { openControl } = await import('../cluster/kill/firm-kill-switch.ts');
  return withNats(o, async (nc) => f(await openControl(nc, o.firm)));
}

/** Who acts: --operator, else $USER. */
const operatorOf = (o: FirmOptions): string => o.operator ?? process.env.USER ?? '';

async function setSwitch(o: FirmOptions, engaged: boolean): Promise<void> {
  const operator = operatorOf(o);
  const { setFirmKill } = await import('../cluster/kill/firm-kill-switch.ts');
  await withControl(o, (kv) => setFirmKill(kv, o.firm, { engaged, operator, reason: o.reason ?? '', at: Date.now() }));
  console.log(`firm ${o.firm}: kill switch ${engaged ? 'ENGAGED' : 'reset'} by ${operator}: ${o.reason ?? ''}`);
}

/** The firm budget ledger in its bucket (cluster.budget.bucket), for one change or read. */
async function withLedger<T>(o: LedgerOptions, f: (store: import('../cluster/budget/ledger-store.ts').LedgerStore) => Promise<T>): Promise<T> {
  const { openBucket } = await import('../cluster/budget/nats-link.ts');
  const { LedgerStore } = await import('../cluster/budget/ledger-store.ts');
  firmTarget(o); // --firm is checked before --bucket
  if (!CLUSTER_NAME.test(o.bucket)) throw bad('bucket', `${CLUSTER_NAME_RULE} (the nodes' cluster.budget.bucket)`);
  return withNats(o, async (nc) => f(new LedgerStore(await openBucket(nc, o.bucket), o.firm, { random: Math.random })));
}

async function showLedger(o: LedgerOptions): Promise<void> {
  const { ledgerView } = await import('../cluster/budget/ledger-admin.ts');
  const nodes = await withLedger(o, async (store) => ledgerView((await store.read()).ledger, Date.now()));
  if (o.json) {
    console.log(JSON.stringify(nodes, null, 2));
    return;
  }
  if (nodes.length === 0) console.log(`firm ${o.firm}: no node in the budget ledger`);
  for (const n of nodes) console.log(`${n.node}  ${n.live ? 'live' : 'EXPIRED'} until ${n.leaseUntil}  line ${n.line.gross}  held ${n.held.gross}  loss ${n.loss} (${n.day})  rate ${n.rate}/s`);
}

async function forget(o: LedgerOptions): Promise<void> {
  const operator = operatorOf(o);
  if (!o.reason || o.reason.trim() === '') throw bad('reason', 'needs a reason: why the node will not come back for its holdings');
  if (operator.trim() === '') throw bad('operator', 'needs a name (--operator, or $USER)');
  const { forgetNode } = await import('../cluster/budget/ledger-admin.ts');
  const node = o.node ?? '';
  const gone = await withLedger(o, (store) => store.mutate((l) => forgetNode(l, node, Date.now())));
  console.log(`firm ${o.firm}: node ${node} removed from the budget ledger by ${operator}: ${o.reason} (it held ${gone.held.gross}, lease ran out ${gone.leaseUntil})`);
}

export function addFirmCommands(program: Command): void {
  const firm = program.command('firm').description('the firm (nodes sharing NATS): its view of every node, its kill switch');
  const common = (c: Command): Command => c.option('--nats <url>', 'NATS server(s), comma-separated', 'nats://127.0.0.1:4222').requiredOption('--firm <name>', "the firm's name (cluster.firm)");
  common(firm.command('view').description("every node's orders, positions and risk, read from the firm's NATS JetStream stream, served with no engine of its own"))
    .option('--port <n>', 'port of the API and dashboard (0: any free one)', '8090')
    .option('--host <addr>', 'address to listen on', '127.0.0.1')
    .option('--auth-db <file>', "the firm view's users, sessions and API keys (SQLite)", './var/firm-auth.sqlite')
    .option('--log-level <level>', 'log level on stderr: trace, debug, info, warn, error, fatal, silent', 'info')
    .action(async (o: FirmCliOptions) => {
      const { runFirmCli } = await import('./firm-view.ts');
      await runFirmCli(o);
    });
  common(firm.command('kill').description('engage the firm kill switch: every node halts and cancels its working orders'))
    .requiredOption('--reason <text>', 'why (journaled on every node)')
    .option('--operator <name>', 'who (default $USER)')
    .action((o: FirmOptions) => setSwitch(o, true));
  common(firm.command('reset').description("lift the firm kill switch (a node's own kill switch stays)"))
    .requiredOption('--reason <text>', 'why')
    .option('--operator <name>', 'who (default $USER)')
    .action((o: FirmOptions) => setSwitch(o, false));
  common(firm.command('status').description('show the firm kill switch')).action(async (o: FirmOptions) => {
    const { readFirmKill } = await import('../cluster/kill/firm-kill-switch.ts');
    const s = await withControl(o, (kv) => readFirmKill(kv, o.firm));
    console.log(s ? JSON.stringify(s) : `firm ${o.firm}: kill switch never set`);
  });
  const ledger = (c: Command): Command => common(c).option('--bucket <name>', "the firm budget's bucket (cluster.budget.bucket)", 'warden_firm_budget');
  ledger(firm.command('budget').description("every node's firm budget entry: lease, line, holdings, loss of the day"))
    .option('--json', 'as JSON')
    .action((o: LedgerOptions) => showLedger(o));
  ledger(firm.command('forget-node').description("remove a dead node's entry (its lease ran out) from the firm budget ledger, releasing its holdings"))
    .requiredOption('--node <id>', 'the node id (cluster.node_id)')
    .requiredOption('--reason <text>', 'why it will not come back for its holdings')
    .option('--operator <name>', 'who (default $USER)')
    .action((o: LedgerOptions) => forget(o));
}
