import { useEffect, useState, useCallback } from 'preact/hooks';
import { api, errorText } from '../api/client.ts';
import type { FeedView, LiveFeed } from './feed.ts';

/** The feed's current view, re-rendered on every change. */
export function useFeed(feed: LiveFeed): FeedView {
  const [view, setView] = useState(feed.current());
  useEffect(() => feed.subscribe(setView), [feed]);
  return view;
}

export interface Loaded<T> {
  readonly data: T | undefined;
  readonly error: string | undefined;
  readonly reload: () => void;
}

/**
 * One GET, re-read when `version` changes (a stream event says the figures moved; not a timer:
 * the dashboard does not poll).
 */
export function useApi<T>(path: string, version: unknown = 0): Loaded<T> {
  const [data, setData] = useState<T | undefined>(undefined);
  const [error, setError] = useState<string | undefined>(undefined);
  const [tick, setTick] = useState(0);
  useEffect(() => {
    let live = true;
    api<T>('GET', path).then(
      (d) => {
        if (!live) return;
        setData(d);
        setError(undefined);
      },
      (e: unknown) => {
        if (live) setError(errorText(e));
      },
    );
    return () => {
      live = false;
    };
  }, [path, version, tick]);
  const reload = useCallback(() => setTick((t) => t + 1), []);
  return { data, error, reload };
}
