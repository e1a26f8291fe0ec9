import { useEffect, useState } from 'preact/hooks';

export const PAGES = ['overview', 'positions', 'orders', 'ticket', 'risk', 'strategies', 'venues', 'alerts', 'audit', 'backtests', 'advisor'] as const;
export type Page = (typeof PAGES)[number];

export function pageOf(hash: string): Page {
  const name = hash.replace(/^#\/?/, '').split(/[/?]/)[0] ?? '';
  return (PAGES as readonly string[]).includes(name) ? (name as Page) : 'overview';
}

/** The hash router: #/orders etc. (the server only has to serve index.html at /). */
export function usePage(): Page {
  const [page, setPage] = useState(pageOf(location.hash));
  useEffect(() => {
    const on = (): void => setPage(pageOf(location.hash));
    window.addEventListener('hashchange', on);
    return () => window.removeEventListener('hashchange', on);
  }, []);
  return page;
}
