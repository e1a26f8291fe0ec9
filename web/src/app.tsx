import { useEffect, useMemo, useState } from 'preact/hooks';
import { api, setUnauthenticatedHandler } from './api/client.ts';
import type { Me } from './api/types.ts';
import { LiveFeed } from './live/feed.ts';
import { useFeed } from './live/hooks.ts';
import { Login } from './pages/login.tsx';
import { PAGES, usePage, type Page } from './router.ts';
import { Overview } from './pages/overview.tsx';
import { Positions } from './pages/positions.tsx';
import { Blotter } from './pages/blotter.tsx';
import { Ticket } from './pages/ticket.tsx';
import { Risk } from './pages/risk.tsx';
import { Strategies } from './pages/strategies.tsx';
import { Venues, Alerts, Audit } from './pages/feeds.tsx';
import { Backtests } from './pages/backtests.tsx';
import { Advisor } from './pages/advisor.tsx';
import { Firm } from './pages/firm.tsx';
import type { Health } from './api/firm.ts';

export function App() {
  const [me, setMe] = useState<Me | null | undefined>(undefined);
  // A firm view (warden firm) has no engine: its dashboard is the Firm page alone. null: a node.
  const [firm, setFirm] = useState<string | null | undefined>(undefined);
  useEffect(() => {
    setUnauthenticatedHandler(() => setMe(null));
    api<Me>('GET', '/api/auth/me').then(setMe, () => setMe(null));
    api<Health>('GET', '/api/health').then(
      (h) => setFirm(h.mode === 'firm' ? (h.firm ?? '') : null),
      () => setFirm(null),
    );
  }, []);
  if (me === undefined || firm === undefined) return <p class="loading">Loading…</p>;
  if (me === null) return <Login onLogin={setMe} />;
  if (firm !== null) return <FirmShell firm={firm} me={me} onLogout={() => setMe(null)} />;
  return <Shell me={me} onLogout={() => setMe(null)} />;
}

function FirmShell({ firm, me, onLogout }: { readonly firm: string; readonly me: Me; readonly onLogout: () => void }) {
  const logout = async (): Promise<void> => {
    await api('POST', '/api/auth/logout').catch(() => undefined);
    onLogout();
  };
  return (
    <div class="shell">
      <header class="top">
        <strong class="brand">Warden · firm {firm}</strong>
        <span class="who">
          {me.name} <small>({me.roles.join(', ')})</small>
          <button type="button" onClick={() => void logout()}>
            Log out
          </button>
        </span>
      </header>
      <nav class="tabs">
        <a href="#/firm" class="active">
          Firm
        </a>
      </nav>
      <main class="page" data-page="firm">
        <Firm />
      </main>
    </div>
  );
}

const TITLES: Readonly<Record<Page, string>> = {
  overview: 'Overview',
  positions: 'Positions',
  orders: 'Orders',
  ticket: 'Ticket',
  risk: 'Risk',
  strategies: 'Strategies',
  venues: 'Venues',
  alerts: 'Alerts',
  audit: 'Audit',
  backtests: 'Backtests',
  advisor: 'Advisor',
};

function Shell({ me, onLogout }: { readonly me: Me; readonly onLogout: () => void }) {
  const feed = useMemo(() => new LiveFeed(), []);
  useEffect(() => {
    feed.start();
    return () => feed.stop();
  }, [feed]);
  const view = useFeed(feed);
  const page = usePage();
  const halted = view.state.killSwitch.engaged || [...view.state.tradingStates.values()].includes('HALTED');
  const logout = async (): Promise<void> => {
    await api('POST', '/api/auth/logout').catch(() => undefined);
    feed.stop();
    onLogout();
  };
  return (
    <div class="shell">
      <header class="top">
        <strong class="brand">Warden</strong>
        <span class={`conn conn-${view.connection}`} data-testid="connection" data-reconnects={view.reconnects} data-last-seq={view.state.lastSeq}>
          {view.connection}
        </span>
        {halted && (
          <a href="#/risk" class="halted" data-testid="halted-banner">
            HALTED{view.state.killSwitch.engaged ? ' · kill switch engaged' : ''}
          </a>
        )}
        <span class="who">
          {me.name} <small>({me.roles.join(', ')})</small>
          <button type="button" onClick={() => void logout()}>
            Log out
          </button>
        </span>
      </header>
      <nav class="tabs">
        {PAGES.map((p) => (
          <a key={p} href={`#/${p}`} class={p === page ? 'active' : ''}>
            {TITLES[p]}
          </a>
        ))}
      </nav>
      <main class="page" data-page={page}>
        <PageView page={page} me={me} feed={feed} />
      </main>
    </div>
  );
}

function PageView({ page, me, feed }: { readonly page: Page; readonly me: Me; readonly feed: LiveFeed }) {
  switch (page) {
    case 'overview':
      return <Overview feed={feed} />;
    case 'positions':
      return <Positions feed={feed} roles={me.roles} />;
    case 'orders':
      return <Blotter feed={feed} roles={me.roles} />;
    case 'ticket':
      return <Ticket roles={me.roles} feed={feed} />;
    case 'risk':
      return <Risk feed={feed} roles={me.roles} />;
    case 'strategies':
      return <Strategies roles={me.roles} />;
    case 'venues':
      return <Venues feed={feed} />;
    case 'alerts':
      return <Alerts feed={feed} />;
    case 'audit':
      return <Audit feed={feed} />;
    case 'backtests':
      return <Backtests roles={me.roles} />;
    case 'advisor':
      return <Advisor feed={feed} roles={me.roles} />;
  }
}
