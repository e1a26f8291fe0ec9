/**
 * News items for the sentiment strategy, from an RSS/Atom/RDF feed (read with
 * @extractus/feed-extractor's extractFromXml) or a JSON-lines file, each with the time it was
 * published. Reading is the thin outer layer (the factory reads the file once); the strategy gets
 * the items in memory and releases each one only at the first bar close at or after its time.
 */
import { readFileSync } from 'node:fs';
import { extractFromXml } from '@extractus/feed-extractor';
import { ValidationError } from '../model/errors.ts';

/** One piece of news: when it was published (epoch ms), what it is tagged with, and its words. */
export interface NewsItem {
  readonly ts: number;
  /** Tags naming what it is about (feed categories, or a JSON line's `symbols`), as written. */
  readonly symbols: readonly string[];
  readonly title: string;
  readonly text: string;
}

const bad = (message: string, input?: string): ValidationError => new ValidationError('INVALID_FIELD', `news ${message}`, { field: 'news', ...(input !== undefined ? { input } : {}) });

/** Category values as extractFromXml leaves them: text, `{ '@_term': … }` (Atom), or a list of those. */
function categories(v: unknown): string[] {
  if (v === undefined || v === null) return [];
  if (Array.isArray(v)) return v.flatMap(categories);
  if (typeof v === 'string') return [v.trim()].filter((s) => s !== '');
  if (typeof v === 'object') {
    const o = v as Record<string, unknown>;
    const term = o['@_term'] ?? o['#text'];
    return typeof term === 'string' ? categories(term) : [];
  }
  return [];
}

/**
 * Items of an RSS 2.0, Atom or RDF feed: title, description (untruncated), the entry's time as
 * feed-extractor normalises it (RSS pubDate; Atom updated, else published: the later one when a
 * feed gives both, so an item is never early), categories as symbols. An entry without a readable
 * time is an error (INVALID_FIELD naming it), not silently dated.
 */
export function newsFromFeedXml(xml: string): NewsItem[] {
  let feed;
  try {
    feed = extractFromXml(xml, { descriptionMaxLen: 0, getExtraEntryFields: (e) => ({ categories: categories(e['category']) }) });
  } catch (e) {
    throw bad(`is not a readable RSS/Atom feed: ${(e as Error).message}`);
  }
  return (feed.entries ?? []).map((e, i) => {
    const ts = Date.parse(e.published ?? '');
    if (!Number.isFinite(ts)) throw bad(`entry ${i + 1} (${e.title ?? e.id}) has no publication time`, e.title ?? e.id);
    return { ts, symbols: (e['categories'] as string[] | undefined) ?? [], title: e.title ?? '', text: e.description ?? '' };
  });
}

/**
 * Items of a JSON-lines file, one object a line: `{"time": ISO text or epoch ms, "symbols":
 * ["BTC"], "title": "...", "text": "..."}` (`symbols` and `text` optional). Blank lines are
 * skipped; a line that is not such an object is an error naming the line.
 */
export function newsFromJsonLines(text: string): NewsItem[] {
  const out: NewsItem[] = [];
  text.split('\n').forEach((line, i) => {
    if (line.trim() === '') return;
    let o: Record<string, unknown>;
    try {
      o = JSON.parse(line) as Record<string, unknown>;
    } catch {
      throw bad(`line ${i + 1} is not JSON`, line.slice(0, 80));
    }
    const time = o['time'];
    const ts = typeof time === 'number' ? time : typeof time === 'string' ? Date.parse(time) : NaN;
    if (!Number.isFinite(ts)) throw bad(`line ${i + 1} needs a time (ISO text or epoch ms)`, line.slice(0, 80));
    const symbols = o['symbols'] ?? [];
    if (!Array.isArray(symbols) || !symbols.every((s) => typeof s === 'string')) throw bad(`line ${i + 1}: symbols must be a list of text`, line.slice(0, 80));
    if (typeof o['title'] !== 'string') throw bad(`line ${i + 1} needs a title`, line.slice(0, 80));
    out.push({ ts, symbols, title: o['title'], text: typeof o['text'] === 'string' ? o['text'] : '' });
  });
  return out;
}

/** A news file: a feed when its first character is `<`, JSON lines otherwise; items in time order (stable). */
export function readNewsFile(path: string): NewsItem[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw bad(`file cannot be read: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`, path);
  }
  const items = text.trimStart().startsWith('<') ? newsFromFeedXml(text) : newsFromJsonLines(text);
  return sortByTime(items);
}

/** Items in time order; items of the same time keep their order. */
export function sortByTime(items: readonly NewsItem[]): NewsItem[] {
  return items.map((it, i) => ({ it, i })).sort((a, b) => a.it.ts - b.it.ts || a.i - b.i).map((x) => x.it);
}
