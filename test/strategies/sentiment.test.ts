import { writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Sentiment from 'sentiment';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Strategy } from '../../src/backtest/strategy.ts';
import type { Bar } from '../../src/model/bar.ts';
import { ValidationError } from '../../src/model/errors.ts';
import { STRATEGIES } from '../../src/strategies/index.ts';
import { newsFromFeedXml, newsFromJsonLines, readNewsFile, type NewsItem } from '../../src/strategies/news.ts';
import { LexiconScorer, SENTIMENT_DEFAULTS, SentimentStrategy, sentimentFactory, type SentimentScorer } from '../../src/strategies/sentiment.ts';
import { BTCUSDT, expectBadParam, expectTrades, rows, simulate, START } from './helpers.ts';
import { loadBars, runOn } from './ml-helpers.ts';

const TO = START + 3 * 86_400_000; // 2023-03-01 .. 03-03: 4,320 bars
const FEED = new URL('./fixtures/btc-news-2023-03.rss', import.meta.url).pathname;
const P = { ...SENTIMENT_DEFAULTS, keywords: ['bitcoin'] }; // halfLife 240 min, entry 0.3, exit 0, fraction 0.95

/** The documented score by hand: AFINN valences through the `sentiment` package, decayed per bar close. */
function handScores(bars: readonly Bar[], items: readonly NewsItem[]): number[] {
  const lexicon = new Sentiment();
  const about = (it: NewsItem) => (it.symbols.length > 0 ? it.symbols.some((s) => ['BTC', 'BTCUSDT'].includes(s.toUpperCase())) : /(^|\W)(btc|btcusdt|bitcoin)($|\W)/i.test(`${it.title} ${it.text}`));
  const value = (it: NewsItem) => {
    const r = lexicon.analyze(it.text ? `${it.title}. ${it.text}` : it.title);
    return r.calculation.length === 0 ? 0 : r.score / (5 * r.calculation.length);
  };
  let s = 0;
  let at = bars[0]!.ts + 60_000;
  let next = 0;
  return bars.map((b) => {
    const close = b.ts + 60_000;
    s *= Math.pow(2, -(close - at) / (P.halfLife * 60_000));
    at = close;
    const batch: number[] = [];
    while (next < items.length && items[next]!.ts <= close) {
      const it = items[next++]!;
      if (about(it)) batch.push(value(it));
    }
    if (batch.length > 0) s += batch.reduce((a, v) => a + v, 0) / batch.length;
    return s;
  });
}

describe('sentiment on real BTCUSDT minute bars (2023-03-01 .. 03-03) and a news feed', () => {
  let bars: Bar[];
  let items: NewsItem[];
  beforeAll(async () => {
    bars = await loadBars(BTCUSDT, TO);
    items = readNewsFile(FEED);
  });

  it('trades exactly as documented: lexicon score per symbol, decayed, against entry and exit, recomputed by hand', async () => {
    const strategy = new SentimentStrategy(P, items);
    const r = await runOn(strategy, BTCUSDT, bars);
    const s = handScores(bars, items);
    strategy.decisions.forEach((d, t) => expect(d.score, `score at bar ${t}`).toBeCloseTo(s[t]!, 12));
    const want = simulate([rows(BTCUSDT.file, TO)], P.fraction, 10, [BTCUSDT.id], (t, held) => {
      if (held === -1 && s[t]! >= P.entry) return { leg: 0, side: 'BUY' };
      if (held === 0 && s[t]! <= P.exit) return { leg: 0, side: 'SELL' };
      return null;
    });
    expect(want.length).toBe(4); // in on items 1, 4, 7, 9; out on 2, 5, 8, 10
    expectTrades(r, want);
    // Each entry is at the first bar close at or after a good item's time, each exit after a bad one's.
    const releasedAt = (ts: number) => bars.findIndex((b) => b.ts + 60_000 >= ts);
    expect(want.map((w) => w.entryBar)).toEqual(['2023-03-01T02:10:30Z', '2023-03-01T15:20:10Z', '2023-03-02T13:31:00Z', '2023-03-03T06:00:00Z'].map((x) => releasedAt(Date.parse(x))));
    expect(want.map((w) => w.exitBar)).toEqual(['2023-03-01T08:45:00Z', '2023-03-02T03:07:45Z', '2023-03-02T20:14:59Z', '2023-03-03T14:42:00Z'].map((x) => releasedAt(Date.parse(x))));
  });

  it('never looks at news before its time: a scorer sees only items published by the bar close, and a future item changes nothing before it', async () => {
    let now = 0;
    const seen: NewsItem[] = [];
    const lexicon = new LexiconScorer();
    // An asynchronous scorer (as a model-backed one would be) that checks each item it is given.
    const recorder: SentimentScorer = {
      score: async (batch) => {
        for (const it of batch) expect(it.ts).toBeLessThanOrEqual(now);
        seen.push(...batch);
        return Promise.resolve(lexicon.score(batch));
      },
    };
    const watched = (inner: SentimentStrategy): Strategy => ({ name: inner.name, onStart: (ctx) => inner.onStart(ctx), onBar: (bar, ctx) => ((now = ctx.now()), inner.onBar(bar, ctx)) });
    const plain = new SentimentStrategy(P, items, recorder);
    await runOn(watched(plain), BTCUSDT, bars);
    expect(seen.map((i) => i.title)).toEqual(items.filter((i) => i.symbols.length === 0 || i.symbols.some((s) => s.toUpperCase() === 'BTC')).filter((i) => !i.title.startsWith('Weather')).map((i) => i.title));
    // A catastrophe published at 2023-03-02 00:00:30: decisions before its bar close are the same, after it they are not.
    const bomb: NewsItem = { ts: Date.parse('2023-03-02T00:00:30Z'), symbols: ['BTC'], title: 'Bitcoin catastrophe: fraud, panic, collapse, disaster', text: '' };
    const withBomb = new SentimentStrategy(P, [...items, bomb], recorder);
    await runOn(watched(withBomb), BTCUSDT, bars);
    const cut = Date.parse('2023-03-02T00:00:00Z'); // the bar that closes at 00:01 is the first to see it
    expect(withBomb.decisions.filter((d) => d.ts < cut)).toEqual(plain.decisions.filter((d) => d.ts < cut));
    expect(withBomb.decisions.find((d) => d.ts === cut)!.score).toBeLessThan(plain.decisions.find((d) => d.ts === cut)!.score - 0.5);
  });

  it('an item stamped exactly at a bar close is released at that bar; one millisecond later waits for the next', async () => {
    const close = START + 10 * 60_000; // the close of bar 9 (opened 00:09)
    const good = (ts: number): NewsItem => ({ ts, symbols: ['BTC'], title: 'great win', text: '' });
    const at = new SentimentStrategy(P, [good(close)]);
    await runOn(at, BTCUSDT, bars.slice(0, 30));
    expect(at.decisions[8]!.score).toBe(0);
    expect(at.decisions[9]!.score).toBeGreaterThan(0.3);
    expect(at.decisions[9]!.action).toBe('BUY');
    const after = new SentimentStrategy(P, [good(close + 1)]);
    await runOn(after, BTCUSDT, bars.slice(0, 30));
    expect(after.decisions[9]!.score).toBe(0);
    expect(after.decisions[10]!.score).toBeGreaterThan(0.3);
  });

  it('reads news from RSS, Atom and JSON lines, and refuses an item without a time with the typed error', () => {
    const atom = `<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><title>t</title><id>f</id><entry><id>a</id><title>BTC slides</title><summary>bad day</summary><updated>2023-03-01T10:15:00Z</updated><category term="BTC"/></entry></feed>`;
    expect(newsFromFeedXml(atom)).toEqual([{ ts: Date.parse('2023-03-01T10:15:00Z'), symbols: ['BTC'], title: 'BTC slides', text: 'bad day' }]);
    expect(items.length).toBe(10);
    expect(items[4]).toEqual({ ts: Date.parse('2023-03-02T03:07:45Z'), symbols: ['BTC', 'ETH'], title: 'Silvergate collapse sparks fear of contagion', text: 'Bitcoin slides as banks cut ties; a terrible day for crypto.' });
    const lines = '{"time":"2023-03-01T10:00:00Z","symbols":["NVDA"],"title":"NVIDIA beats","text":"strong"}\n\n{"time":1677666000000,"title":"chips rally"}\n';
    expect(newsFromJsonLines(lines)).toEqual([
      { ts: Date.parse('2023-03-01T10:00:00Z'), symbols: ['NVDA'], title: 'NVIDIA beats', text: 'strong' },
      { ts: 1677666000000, symbols: [], title: 'chips rally', text: '' },
    ]);
    const noTime = (f: () => unknown) => {
      expect(f).toThrow(ValidationError);
      expect(f).toThrow(/time/);
    };
    noTime(() => newsFromJsonLines('{"title":"undated"}'));
    noTime(() => newsFromFeedXml('<rss version="2.0"><channel><title>t</title><item><title>undated</title></item></channel></rss>'));
  });

  it('is registered with its defaults and metadata and rejects bad parameters with the typed error', () => {
    expect(STRATEGIES['sentiment']).toBe(sentimentFactory);
    const dir = mkdtempSync(join(tmpdir(), 'warden-news-'));
    const file = join(dir, 'news.jsonl');
    writeFileSync(file, '{"time":"2023-03-01T10:00:00Z","symbols":["BTC"],"title":"good"}\n');
    expect((sentimentFactory.create({ news: file }) as SentimentStrategy).params).toEqual(SENTIMENT_DEFAULTS);
    expect((sentimentFactory.create({ news: FEED, keywords: 'bitcoin| crypto', halfLife: '60' }) as SentimentStrategy).params).toEqual({ ...SENTIMENT_DEFAULTS, halfLife: 60, keywords: ['bitcoin', 'crypto'] });
    expect(sentimentFactory.family).toBe('event/sentiment');
    expect(sentimentFactory.params.map((x) => x.name)).toEqual(['news', 'keywords', 'scorer', 'halfLife', 'entry', 'exit', 'fraction']);
    expectBadParam(() => sentimentFactory.create({}), 'news');
    expectBadParam(() => sentimentFactory.create({ news: join(dir, 'missing.rss') }), 'news');
    expectBadParam(() => sentimentFactory.create({ news: file, halfLife: '0' }), 'halfLife');
    expectBadParam(() => sentimentFactory.create({ news: file, entry: '1.5' }), 'entry');
    expectBadParam(() => sentimentFactory.create({ news: file, entry: '0.2', exit: '0.2' }), 'exit');
    expectBadParam(() => sentimentFactory.create({ news: file, fraction: '0' }), 'fraction');
    expectBadParam(() => sentimentFactory.create({ news: file, keywords: 'bit(coin' }), 'keywords');
    expectBadParam(() => sentimentFactory.create({ news: file, model: 'gpt' }), 'model');
  });
});
