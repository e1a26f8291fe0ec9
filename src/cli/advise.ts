/**
 * `warden advise market|strategies|trade|portfolio|news|explain`: asks a running node's advisor
 * through its API (WARDEN_TOKEN or WARDEN_API_KEY, as `warden tui`). It goes through the node
 * rather than running locally because the node holds what the answer must come from and go to:
 * its market data, positions, journal and gate for the facts, its configured model and budget,
 * and its journal, where the consultation is recorded and proposals wait for a trader.
 * A local news file is read here and sent as its text; a URL is fetched by the node.
 */
import { readFile } from 'node:fs/promises';
import { ApiClient, type ApiResult } from '../tui/api.ts';
import { bad } from './flags.ts';

export type AdviseTask = 'market' | 'strategies' | 'trade' | 'portfolio' | 'news' | 'explain';

export interface AdviseCliOptions {
  readonly url: string;
  readonly json?: boolean;
  readonly instrument?: string;
  readonly bars?: string;
  readonly strategy?: string[];
  readonly side?: string;
  readonly type?: string;
  readonly quantity?: string;
  readonly price?: string;
  readonly feed?: string;
  readonly order?: string;
  readonly breaker?: string;
}

type Print = (line: string) => void;

/** The credential the environment gives (as `warden tui`'s: a token first, then an API key); tui.ts is not imported, it loads Ink. */
function credentialFromEnv(env: NodeJS.ProcessEnv): string | undefined {
  return env.WARDEN_TOKEN?.trim() || env.WARDEN_API_KEY?.trim() || undefined;
}

const need = (v: string | undefined, flag: string, task: string): string => {
  if (v === undefined || v.trim() === '') throw bad(flag, `warden advise ${task} needs --${flag}`);
  return v;
};

const barsOf = (o: AdviseCliOptions): { bars?: number } => {
  if (o.bars === undefined) return {};
  const n = Number(o.bars);
  if (!Number.isSafeInteger(n) || n < 60 || n > 5_000) throw bad('bars', `must be a whole number from 60 to 5000, got ${JSON.stringify(o.bars)}`);
  return { bars: n };
};

/** The request body of a task from the flags (the news file read here). */
export async function adviseBody(task: AdviseTask, o: AdviseCliOptions): Promise<unknown> {
  switch (task) {
    case 'market':
      return { instrumentId: need(o.instrument, 'instrument', task), ...barsOf(o) };
    case 'strategies':
      return { ...(o.strategy && o.strategy.length > 0 ? { strategies: o.strategy } : {}), ...barsOf(o) };
    case 'trade':
      return { instrumentId: need(o.instrument, 'instrument', task), side: need(o.side, 'side', task).toUpperCase(), type: (o.type ?? (o.price ? 'LIMIT' : 'MARKET')).toUpperCase(), quantity: need(o.quantity, 'quantity', task), ...(o.price ? { price: o.price } : {}) };
    case 'portfolio':
      return { ...barsOf(o) };
    case 'news': {
      const feed = need(o.feed, 'feed', task);
      return /^https?:\/\//.test(feed) ? { url: feed } : { xml: await readFile(feed, 'utf8') };
    }
    case 'explain':
      if (o.order) return { clientOrderId: o.order };
      return { breaker: need(o.breaker, 'breaker', 'explain (or --order)') };
    default: {
      const never: never = task;
      throw bad('task', `unknown task ${String(never)}`);
    }
  }
}

/** The answer's few lines for a person (the full answer with --json). */
export function adviceLines(task: AdviseTask, body: Record<string, unknown>): string[] {
  const a = (body.advice ?? {}) as Record<string, unknown>;
  const c = (body.consultation ?? {}) as Record<string, unknown>;
  const out = [`  ${task} — ${typeof c.model === 'string' ? c.model : ''} (${typeof c.id === 'string' ? c.id : ''})`];
  if (task === 'market') out.push(`  regime ${String(a.regime)}, ${String(a.direction)}, trend ${String(a.trendStrength)}, volatility ${String(a.volatility)}`);
  if (task === 'trade') out.push(`  risk ${String(a.score).toUpperCase()}: ${String(a.recommendation)}`);
  if (task === 'explain') out.push(`  ${String(a.headline)}`, `  ${String(a.explanation)}`);
  if (task === 'news') for (const s of (a.sentiments ?? []) as Record<string, unknown>[]) out.push(`  ${String(s.instrumentId)} ${String(s.sentiment)} (${String(s.score)}): "${String(s.quote)}"`);
  if (task === 'strategies') for (const r of (a.ranking ?? []) as Record<string, unknown>[]) out.push(`  ${String(r.rank)}. ${String(r.strategyId)}: ${String(r.reason)}`);
  if (typeof a.summary === 'string') out.push(`  ${a.summary}`);
  for (const p of (body.proposals ?? []) as Record<string, unknown>[]) out.push(`  proposal ${String(p.proposalId)} ${String(p.action)} (pending: confirm with POST /api/advisor/proposals/${String(p.proposalId)}/confirm)`);
  return out;
}

export async function runAdviseCli(task: AdviseTask, o: AdviseCliOptions, print: Print = console.log, env: NodeJS.ProcessEnv = process.env): Promise<ApiResult> {
  let url: string;
  try {
    url = new URL(o.url).origin;
  } catch {
    throw bad('url', `must be an http(s) address such as http://127.0.0.1:8080, got ${JSON.stringify(o.url)}`);
  }
  const credential = credentialFromEnv(env);
  if (!credential) throw bad('url', 'no credential: set WARDEN_TOKEN (or WARDEN_API_KEY)');
  const r = await new ApiClient(url, credential).call('POST', `/api/advisor/${task}`, await adviseBody(task, o));
  if (!r.ok) {
    // NOT_CONFIGURED and every failure: its code and the node's message, exit 1.
    throw new Error(`${r.code}: ${r.message}`);
  }
  if (o.json) print(JSON.stringify(r.body, null, 2));
  else for (const line of adviceLines(task, r.body as Record<string, unknown>)) print(line);
  return r;
}
