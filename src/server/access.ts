import type { Role } from './auth/types.ts';

export type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/**
 * Who may call a route: `public` (no credentials), `authenticated` (any role: every read), or
 * any one of the listed roles.
 */
export type Need = 'public' | 'authenticated' | readonly Role[];

export interface RouteAccess {
  readonly method: Method;
  readonly url: string;
  readonly need: Need;
  /** Journaled as an audit event (every call that changes something). */
  readonly audited: boolean;
  readonly summary: string;
}

const TRADER: readonly Role[] = ['trader'];
const RISK: readonly Role[] = ['risk'];
const ADMIN: readonly Role[] = ['admin'];
/** Tightening: engaging the kill switch is for a trader as well as risk. */
const TRADER_OR_RISK: readonly Role[] = ['trader', 'risk'];

const r = (method: Method, url: string, need: Need, summary: string, audited = method !== 'GET'): RouteAccess => ({ method, url, need, audited, summary });

/**
 * THE authorization table: every API route and the role it needs. Routes are registered from it
 * (a route missing here cannot be registered) and the role × mutation tests iterate it.
 */
export const ROUTE_TABLE: readonly RouteAccess[] = [
  r('GET', '/api/health', 'public', 'Liveness and the node status (no credentials)'),
  // Logins are audited by the auth service itself (success and failure, with the name tried).
  r('POST', '/api/auth/login', 'public', 'Log in with a user name and password: a session token and cookie', false),
  r('POST', '/api/auth/logout', 'authenticated', 'End this session'),
  r('GET', '/api/auth/me', 'authenticated', 'Who is calling: name, kind, roles'),
  r('GET', '/api/users', ADMIN, 'Users and their roles'),
  r('POST', '/api/users', ADMIN, 'Add a user'),
  r('DELETE', '/api/users/:name', ADMIN, 'Remove a user'),
  r('GET', '/api/keys', ADMIN, 'API keys (never their secrets)'),
  r('POST', '/api/keys', ADMIN, 'Create an API key: its secret is in this answer only'),
  r('DELETE', '/api/keys/:id', ADMIN, 'Revoke an API key'),
  r('GET', '/api/overview', 'authenticated', 'Equity curve, PnL today, exposure, drawdown, VaR'),
  r('GET', '/api/instruments', 'authenticated', 'Registered instruments'),
  r('GET', '/api/accounts', 'authenticated', 'Accounts: balances, margin, day trades'),
  r('GET', '/api/market', 'authenticated', 'Latest prices and 24-hour traded volume of each instrument'),
  r('GET', '/api/positions', 'authenticated', 'Open positions'),
  r('GET', '/api/orders', 'authenticated', 'Orders (open, closed or all)'),
  r('GET', '/api/orders/:id', 'authenticated', 'One order'),
  r('POST', '/api/orders/check', 'authenticated', "The gate's verdict on an order, without sending it", false),
  r('POST', '/api/orders', TRADER, 'Submit an order (emulated types through the order emulator)'),
  r('PATCH', '/api/orders/:id', TRADER, 'Modify an order'),
  r('DELETE', '/api/orders/:id', TRADER, 'Cancel an order'),
  r('DELETE', '/api/orders', TRADER, 'Cancel every open order (optionally of one instrument and side)'),
  r('POST', '/api/order-lists', TRADER, 'Submit a bracket, OCO, OTO or OUO'),
  r('POST', '/api/algos', TRADER, 'Start a TWAP, VWAP or iceberg'),
  r('GET', '/api/algos', 'authenticated', 'Running execution algorithms and their progress'),
  r('DELETE', '/api/algos/:id', TRADER, 'Cancel a running execution algorithm'),
  r('POST', '/api/positions/close', TRADER, 'Close a position at market (reduce-only)'),
  r('POST', '/api/positions/reverse', TRADER, 'Reverse a position at market'),
  r('GET', '/api/risk', 'authenticated', 'Kill switch, trading states and every breaker with its figure and limit'),
  r('POST', '/api/risk/kill-switch', TRADER_OR_RISK, 'Engage the kill switch: cancel everything, halt, optionally flatten'),
  r('POST', '/api/risk/kill-switch/reset', RISK, 'Lift the kill switch'),
  r('POST', '/api/risk/breakers/:name/reset', RISK, 'Reset a tripped breaker'),
  r('GET', '/api/firm/kill-switch', 'authenticated', 'The firm kill switch (every node of the firm, over NATS): engaged or not, by whom'),
  r('POST', '/api/firm/kill-switch', TRADER_OR_RISK, 'Engage the firm kill switch: every node of the firm halts and cancels its working orders'),
  r('POST', '/api/firm/kill-switch/reset', RISK, 'Lift the firm kill switch on every node (a node\'s own kill switch stays)'),
  r('PUT', '/api/risk/trading-state', RISK, 'Set the trading state of a scope'),
  r('GET', '/api/strategies', 'authenticated', 'Strategies: state, parameters, PnL'),
  r('POST', '/api/strategies/:id/start', TRADER, 'Start a stopped strategy'),
  r('POST', '/api/strategies/:id/stop', TRADER, 'Stop a strategy'),
  r('POST', '/api/strategies/:id/pause', TRADER, 'Pause a strategy: no data, its orders refused'),
  r('POST', '/api/strategies/:id/resume', TRADER, 'Resume a paused strategy'),
  r('PATCH', '/api/strategies/:id/parameters', TRADER, "Change a stopped strategy's parameters"),
  r('GET', '/api/venues', 'authenticated', "Each venue's health"),
  r('GET', '/api/system', 'authenticated', "The node process: memory and uptime"),
  r('GET', '/api/alerts', 'authenticated', 'The latest alerts, newest first'),
  r('GET', '/api/audit', 'authenticated', 'The latest audit events, newest first'),
  r('GET', '/api/journal', 'authenticated', 'Journal records by sequence'),
  r('POST', '/api/backtests', TRADER, 'Start a backtest in a worker thread'),
  r('GET', '/api/backtests', 'authenticated', 'Backtests and their progress'),
  r('GET', '/api/backtests/:id', 'authenticated', "A backtest's state, progress and result"),
  r('GET', '/api/backtests/:id/report', 'authenticated', "A finished backtest's HTML report"),
  r('GET', '/api/stream', 'authenticated', 'WebSocket: journal events from a sequence, market, alerts, status'),
  // The AI advisor (src/advisor/tasks/): asking is for any role (it changes nothing but the journal's record of it); deciding on a proposal is a trader's.
  r('GET', '/api/advisor/status', 'authenticated', 'Whether a model is configured, for the advisor as a whole and for each task'),
  r('POST', '/api/advisor/market', 'authenticated', "The advisor's reading of an instrument's regime, trend and volatility from Warden's features"),
  r('POST', '/api/advisor/strategies', 'authenticated', 'The advisor ranks the strategies on their measured figures; its parameter suggestions measured out of sample'),
  r('POST', '/api/advisor/trade', 'authenticated', "The advisor's risk assessment of an order ticket (nothing is sent)"),
  r('POST', '/api/advisor/portfolio', 'authenticated', "The advisor's commentary on concentration, correlation and diversification over Warden's VaR and stress tests"),
  r('POST', '/api/advisor/news', 'authenticated', 'Sentiment per traded instrument from an RSS/Atom feed, each quoting its item'),
  r('POST', '/api/advisor/explain', 'authenticated', 'A plain-language account of an order denial or a breaker trip, from the journal'),
  r('GET', '/api/advisor/proposals', 'authenticated', "The advisor's proposals (pending unless all=true)"),
  r('POST', '/api/advisor/proposals/:id/confirm', TRADER, 'Confirm a proposal: its ticket goes through the risk gate as your order'),
  r('POST', '/api/advisor/proposals/:id/reject', TRADER, 'Reject a proposal'),
  r('GET', '/metrics', 'authenticated', 'Prometheus metrics (public when server.metrics_public)', false),
];

export function accessOf(method: string, url: string): RouteAccess {
  const a = ROUTE_TABLE.find((x) => x.method === method && x.url === url);
  if (!a) throw new Error(`route ${method} ${url} is not in ROUTE_TABLE (src/server/access.ts)`);
  return a;
}

/** Whether a principal's roles meet a route's need (authenticated already). */
export function allowed(need: Need, roles: readonly Role[]): boolean {
  if (need === 'public' || need === 'authenticated') return true;
  return need.some((r) => roles.includes(r));
}
