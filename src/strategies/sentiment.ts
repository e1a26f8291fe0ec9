import Sentiment from 'sentiment';
import type { NewsScorer, Strategy, StrategyContext, RegisteredStrategy } from '../strategy/strategy.ts';
import type { Bar } from '../model/bar.ts';
import type { Instrument } from '../model/instrument.ts';
import { enterLong, exitLong, holdsLong, invalidParam, isFlat, parseNumericParams, requireFraction, requirePositive, type ParamDoc } from './common.ts';
import { readNewsFile, sortByTime, type NewsItem } from './news.ts';

/** A news item as the scorer gets it: `symbols` are the ids of the run's instruments it is about. */
export type ScoredItem = NewsItem;

/**
 * Scores a batch of news (the items released at one bar close) per symbol, each in [−1, 1]
 * (negative bad, positive good news; a symbol without a score gets none). The default is the
 * offline lexicon scorer; a model-backed scorer (the advisor's news scoring) can be plugged in
 * through the same interface, and may answer asynchronously.
 */
export interface SentimentScorer {
  score(items: readonly ScoredItem[]): ReadonlyMap<string, number> | Promise<ReadonlyMap<string, number>>;
}

/**
 * The offline scorer: the AFINN-165 lexicon of the `sentiment` package on "title. text". An
 * item's score is the sum of its scored words' valences (after the package's negation rule)
 * divided by 5 × their number: the mean valence over the lexicon's ±5 range, in [−1, 1], 0 with
 * no scored word. A symbol's score is the mean over the batch's items about it.
 */
export class LexiconScorer implements SentimentScorer {
  private readonly lexicon = new Sentiment();

  itemScore(item: Pick<NewsItem, 'title' | 'text'>): number {
    const r = this.lexicon.analyze(item.text === '' ? item.title : `${item.title}. ${item.text}`);
    if (r.calculation.length === 0) return 0;
    return Math.max(-1, Math.min(1, r.score / (5 * r.calculation.length)));
  }

  score(items: readonly ScoredItem[]): ReadonlyMap<string, number> {
    const sums = new Map<string, { sum: number; n: number }>();
    for (const it of items) {
      const s = this.itemScore(it);
      for (const sym of it.symbols) {
        const acc = sums.get(sym) ?? { sum: 0, n: 0 };
        acc.sum += s;
        acc.n++;
        sums.set(sym, acc);
      }
    }
    return new Map([...sums].map(([k, v]) => [k, v.sum / v.n]));
  }
}

export interface SentimentParams {
  /** Minutes for a score to lose half its weight, > 0. Default 240. */
  readonly halfLife: number;
  /** Buy when the decayed score is ≥ entry, > exit. Default 0.3. */
  readonly entry: number;
  /** Sell when the decayed score is ≤ exit. Default 0. */
  readonly exit: number;
  /** Share of equity bought on entry, in (0, 1]. Default 0.95. */
  readonly fraction: number;
  /** Words that tie an untagged item to every instrument of the run (e.g. bitcoin), besides their symbols. */
  readonly keywords: readonly string[];
}

export const SENTIMENT_DEFAULTS: SentimentParams = { halfLife: 240, entry: 0.3, exit: 0, fraction: 0.95, keywords: [] };

const NAME = 'sentiment';

/** One decision bar, for inspection and the no-look-ahead test. */
export interface SentimentDecision {
  readonly instrumentId: string;
  readonly ts: number;
  readonly score: number;
  readonly action: 'BUY' | 'SELL' | null;
}

/** The names an instrument goes by in news: its symbol (BTCUSDT) and base currency (BTC), upper case. */
function namesOf(i: Instrument): string[] {
  const names = [i.id.split('.')[0]!.toUpperCase()];
  if (i.base) names.push(i.base.code.toUpperCase());
  return names;
}

const word = (w: string): RegExp => new RegExp(`(^|[^\\p{L}\\p{N}])${w.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}($|[^\\p{L}\\p{N}])`, 'iu');

/**
 * `sentiment`, long only, per instrument, on news published up to each bar close. Items are
 * released in time order at the first bar close at or after their time (ts ≤ the bar's close
 * time, ctx.now()); an item not yet released is never read, scored or counted. An item is about
 * an instrument when one of its tags is the instrument's symbol or base currency (any case), or,
 * untagged, when its title or text has one of those or a `keywords` word as a whole word.
 * At the close of bar t (close time T) for instrument X, with S_X its score and T_X when it was
 * last brought up to date:
 * - S_X ← S_X × 2^(−(T − T_X) / halfLife) (decay; halfLife in minutes), T_X ← T;
 * - the items released now are scored as one batch (the scorer, by default LexiconScorer) and
 *   X's batch score, if it has one, is added to S_X;
 * - flat (no position, no working order) and S_X ≥ entry: buy floor-to-lot(fraction × equity ÷
 *   close_t); long and S_X ≤ exit: sell all of it (float comparisons of scores, documented).
 * Market orders, filled at the open of bar t+1 plus slippage; fees are the instrument's.
 */
/**
 * The node's advisor first (a model reading the batch, FAULTS 36: its answer validated, its
 * failures alerted by the advisor), the lexicon for a batch it has no answer for, so a model
 * that is down, late or invalid never leaves the strategy blind.
 */
export class AdvisedScorer implements SentimentScorer {
  /** Batches the advisor answered, and those the lexicon scored because it did not. */
  readonly counts = { advisor: 0, lexicon: 0 };

  constructor(
    private readonly advisor: NewsScorer,
    private readonly fallback: SentimentScorer = new LexiconScorer(),
  ) {}

  async score(items: readonly ScoredItem[]): Promise<ReadonlyMap<string, number>> {
    const answer = await this.advisor.score(items);
    if (answer !== undefined) {
      this.counts.advisor++;
      return answer;
    }
    this.counts.lexicon++;
    return this.fallback.score(items);
  }
}

export class SentimentStrategy implements Strategy {
  readonly name: string;
  private readonly items: NewsItem[];
  private next = 0;
  private about: (it: NewsItem) => string[] = () => [];
  private readonly scores = new Map<string, { s: number; at: number }>();
  /** Every decision bar, in order. */
  readonly decisions: SentimentDecision[] = [];

  constructor(
    readonly params: SentimentParams,
    items: readonly NewsItem[],
    private readonly scorer: SentimentScorer = new LexiconScorer(),
    name = NAME,
  ) {
    validate(params);
    this.items = sortByTime(items);
    this.name = name;
  }

  onStart(ctx: StrategyContext): void {
    const named = ctx.instruments.map((i) => ({ id: i.id, names: namesOf(i), words: [...namesOf(i), ...this.params.keywords].map(word) }));
    this.about = (it) => {
      if (it.symbols.length > 0) return named.filter((n) => it.symbols.some((s) => n.names.includes(s.toUpperCase()))).map((n) => n.id);
      return named.filter((n) => n.words.some((w) => w.test(it.title) || w.test(it.text))).map((n) => n.id);
    };
  }

  async onBar(bar: Bar, ctx: StrategyContext): Promise<void> {
    const now = ctx.now();
    const released: ScoredItem[] = [];
    while (this.next < this.items.length && this.items[this.next]!.ts <= now) {
      const it = this.items[this.next++]!;
      const symbols = this.about(it);
      if (symbols.length > 0) released.push({ ...it, symbols });
    }
    const batch = released.length > 0 ? await this.scorer.score(released) : undefined;
    for (const [id, v] of batch ?? []) this.bring(id, now).s += v;
    const id = bar.instrumentId;
    const score = this.bring(id, now).s;
    const { entry, exit, fraction } = this.params;
    const action = isFlat(ctx, id) && score >= entry ? 'BUY' : holdsLong(ctx, id) && score <= exit ? 'SELL' : null;
    this.decisions.push({ instrumentId: id, ts: bar.ts, score, action });
    if (action === 'BUY') await enterLong(ctx, id, fraction, Number(bar.close));
    else if (action === 'SELL') await exitLong(ctx, id);
  }

  /** Instrument `id`'s score decayed to `now`. */
  private bring(id: string, now: number): { s: number; at: number } {
    let e = this.scores.get(id);
    if (!e) this.scores.set(id, (e = { s: 0, at: now }));
    if (e.at !== now) {
      e.s *= 2 ** (-(now - e.at) / (this.params.halfLife * 60_000));
      e.at = now;
    }
    return e;
  }
}

function validate(p: SentimentParams): void {
  requirePositive(NAME, 'halfLife', p.halfLife);
  if (!(Number.isFinite(p.entry) && p.entry > -1 && p.entry <= 1)) throw invalidParam(NAME, 'entry', `must be in (−1, 1], got ${p.entry}`);
  if (!(Number.isFinite(p.exit) && p.exit >= -1 && p.exit < p.entry)) throw invalidParam(NAME, 'exit', `must be in [−1, entry (${p.entry})), got ${p.exit}`);
  requireFraction(NAME, p.fraction);
  for (const k of p.keywords) if (!/^[\p{L}\p{N}][\p{L}\p{N} _-]*$/u.test(k)) throw invalidParam(NAME, 'keywords', `must be words separated by |, got ${JSON.stringify(k)}`);
}

type NumericName = 'halfLife' | 'entry' | 'exit' | 'fraction';
const NUMERIC: readonly (ParamDoc & { name: NumericName })[] = [
  { name: 'halfLife', default: '240', doc: 'minutes for a news score to lose half its weight, > 0' },
  { name: 'entry', default: '0.3', doc: 'buy when the decayed score ≥ entry, in (−1, 1]' },
  { name: 'exit', default: '0', doc: 'sell when the decayed score ≤ exit, in [−1, entry)' },
  { name: 'fraction', default: '0.95', doc: 'share of equity bought on entry, in (0, 1]' },
];
const PARAMS: readonly ParamDoc[] = [
  { name: 'news', default: '', doc: 'news file (required): an RSS/Atom feed, or JSON lines {"time","symbols","title","text"}' },
  { name: 'keywords', default: '', doc: 'words (|-separated) that tie untagged news to the instruments, e.g. bitcoin|crypto' },
  { name: 'scorer', default: 'auto', doc: "auto: the node's AI advisor when a model is configured, else the lexicon; advisor (required); lexicon" },
  ...NUMERIC,
];

const DESCRIPTION = 'long-only news sentiment: a lexicon (or plugged-in) score per symbol of news released by each bar close, decayed by a half-life; buy ≥ entry, sell ≤ exit';

export const sentimentFactory: RegisteredStrategy = {
  name: NAME,
  family: 'event/sentiment',
  description: DESCRIPTION,
  params: PARAMS,
  create(params, services) {
    const { news, keywords, scorer = 'auto', ...rest } = params;
    const names = PARAMS.map((d) => d.name);
    for (const k of Object.keys(params)) if (!names.includes(k)) throw invalidParam(NAME, k, `is not a parameter (${names.join(', ')})`);
    const numbers = parseNumericParams(NAME, NUMERIC, rest);
    const words = (keywords ?? '')
      .split('|')
      .map((w) => w.trim())
      .filter((w) => w !== '');
    const p: SentimentParams = { ...numbers, keywords: words };
    validate(p);
    if (news === undefined || news.trim() === '') throw invalidParam(NAME, 'news', 'is required: a news file (RSS/Atom feed or JSON lines)');
    if (scorer !== 'auto' && scorer !== 'advisor' && scorer !== 'lexicon') throw invalidParam(NAME, 'scorer', `must be auto, advisor or lexicon, got "${scorer}"`);
    const advisor = services?.newsScorer;
    if (scorer === 'advisor' && !advisor) throw invalidParam(NAME, 'scorer', 'is advisor, but the node has no AI advisor model configured (advisor.reasoning_model)');
    const chosen = advisor && scorer !== 'lexicon' ? new AdvisedScorer(advisor) : new LexiconScorer();
    return new SentimentStrategy(p, readNewsFile(news), chosen);
  },
};
