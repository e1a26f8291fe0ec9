/**
 * The advisor's news task lent to strategies (StrategyServices.newsScorer): the sentiment
 * strategy's batch of released news goes to the model as data (fenced, never instructions), the
 * answer is validated against the news schema (traded instruments only, each quote verbatim in
 * its item), and a score per instrument comes back. No answer (not configured, budget, timeout,
 * invalid, refused, provider down) is `undefined`, and the strategy scores that batch with its
 * lexicon; the consultant has already journaled and alerted the failure (FAULTS 36).
 */
import type { NewsForScoring, NewsScorer } from '../../strategy/strategy.ts';
import type { Consultant } from '../consult.ts';
import { MAX_NEWS_ITEMS, newsRequest, type NewsAdvice, type NewsItem } from './news.ts';

/** The scorer, or none when no model is configured (the strategy then reads news with its lexicon). */
export function advisorNewsScorer(consultant: Consultant): NewsScorer | undefined {
  if (!consultant.configured('fast')) return undefined;
  return {
    async score(items) {
      const batch = items.slice(-MAX_NEWS_ITEMS);
      const instruments = [...new Set(batch.flatMap((it) => it.symbols))].map((instrumentId) => ({ instrumentId, base: null }));
      let advice;
      try {
        advice = await consultant.consult(newsRequest({ instruments, items: batch.map(asNewsItem) }));
      } catch {
        return undefined; // the consultation could not be journaled (a node stopping): no advice
      }
      return advice.ok ? scoresOf(advice.value) : undefined;
    },
  };
}

function asNewsItem(it: NewsForScoring, i: number): NewsItem {
  return { id: `n${i + 1}`, title: it.title, summary: it.text, published: new Date(it.ts).toISOString(), link: null };
}

/** The mean of the model's scores per instrument (several items may bear on one). */
export function scoresOf(advice: NewsAdvice): ReadonlyMap<string, number> {
  const sums = new Map<string, { sum: number; n: number }>();
  for (const s of advice.sentiments) {
    const e = sums.get(s.instrumentId) ?? { sum: 0, n: 0 };
    e.sum += s.score;
    e.n++;
    sums.set(s.instrumentId, e);
  }
  return new Map([...sums].map(([id, e]) => [id, e.sum / e.n]));
}
