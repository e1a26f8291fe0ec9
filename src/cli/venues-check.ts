import type { MarketInterface } from 'ccxt';
import { ConfigError } from '../node/config/problems.ts';
import { loadNodeConfig } from '../node/config/load.ts';
import type { Env } from '../node/config/env.ts';
import type { CcxtVenueConfig, VenueConfig } from '../node/config/index.ts';
import { clientConfigOf } from '../node/live-venue.ts';
import { isBrokerConfig, type BrokerVenueConfig } from '../node/brokers.ts';
import { checkBroker } from './broker-check.ts';
import { scrubber } from '../node/secrets.ts';
import { instrumentId, symbolOf, venueOf } from '../model/identifiers.ts';
import { createCcxtClient } from '../venues/ccxt/client.ts';
import { mapCcxtError } from '../venues/ccxt/errors.ts';
import { exactText } from '../venues/ccxt/exact.ts';
import { currenciesFor, findMarket, gridOf, instrumentSpecOf } from '../venues/ccxt/markets.ts';
import { profileFor } from '../venues/ccxt/profiles.ts';

export interface VenuesCheckOptions {
  readonly config: string;
}

export interface VenuesCheckResult {
  readonly ok: boolean;
  readonly lines: readonly string[];
}

/**
 * `warden venues check`: connects to each live venue of a config file, loads its markets, shows
 * the configured instruments as Warden would register them (exact grid, or why not), the
 * account's balances and open orders. Places, modifies and cancels nothing. Secrets never reach
 * the output.
 */
export async function checkVenues(o: VenuesCheckOptions, env: Env = process.env): Promise<VenuesCheckResult> {
  let loaded;
  try {
    loaded = loadNodeConfig(o.config, env);
  } catch (e) {
    if (e instanceof ConfigError) return { ok: false, lines: e.message.split('\n') };
    throw e;
  }
  const scrub = scrubber(loaded.secrets);
  const lines: string[] = [];
  let ok = true;
  const live = Object.entries(loaded.config.venues).filter((e): e is [string, CcxtVenueConfig] => e[1].type === 'ccxt');
  const brokers = Object.entries(loaded.config.venues).filter((e): e is [string, BrokerVenueConfig & VenueConfig] => isBrokerConfig(e[1]));
  if (live.length === 0 && brokers.length === 0) lines.push('no live venues in this config (only simulated ones)');
  for (const [name, v] of brokers) {
    const r = await checkBroker(name, v, loaded.config);
    ok &&= r.ok;
    lines.push(...r.lines);
  }
  for (const [name, v] of live) {
    try {
      lines.push(...(await checkOne(name, v, loaded.config.instruments.map((i) => i.id).filter((id) => venueOf(instrumentId(id)) === name))));
    } catch (e) {
      ok = false;
      const mapped = mapCcxtError(e, 'READ', undefined).error;
      lines.push(`${name}: FAILED ${mapped instanceof Error ? mapped.message : String(mapped)}`);
    }
  }
  return { ok, lines: lines.map(scrub) };
}

async function checkOne(name: string, v: CcxtVenueConfig, ids: readonly string[]): Promise<string[]> {
  const profile = profileFor(v.exchange);
  const client = await createCcxtClient(clientConfigOf(v), profile);
  const out: string[] = [];
  try {
    const markets = Object.values(await client.loadMarkets()).filter((m): m is MarketInterface => m !== undefined);
    out.push(`${name}: ${v.exchange}${v.sandbox ? ' (testnet)' : ''}, ${profile.tested ? 'tested profile' : 'UNTESTED: generic profile, only market and limit orders native'}, ${markets.length} markets`);
    const native = Object.entries(profile.capabilities).filter(([, on]) => on).map(([k]) => k);
    out.push(`  native      ${native.length > 0 ? native.join(', ') : 'market and limit only'}; the rest is emulated`);
    const mode = client.precisionMode === 2 ? 'DECIMAL_PLACES' : 'TICK_SIZE';
    const symbols: string[] = [];
    for (const id of ids) {
      try {
        const m = findMarket(markets, symbolOf(instrumentId(id)));
        symbols.push(m.symbol);
        const g = gridOf(m, mode);
        instrumentSpecOf(id, m, mode, currenciesFor([m], mode, () => undefined));
        out.push(`  instrument  ${id} = ${m.symbol}${m.active === false ? ' (NOT TRADING)' : ''}: tick ${g.tick}, lot ${g.lot}, min qty ${g.minQty ?? '-'}, min notional ${g.minNotional ?? '-'}, fees ${g.maker ?? '-'}/${g.taker ?? '-'}`);
      } catch (e) {
        out.push(`  instrument  ${id}: REFUSED ${(e as Error).message}`);
      }
    }
    if (v.api_key === undefined) {
      out.push('  account     no credentials: market data only');
      return out;
    }
    const balance = await client.fetchBalance();
    const totals = Object.entries((balance.total ?? {}) as unknown as Record<string, number | undefined>).filter(([, t]) => t !== undefined && t !== null && t !== 0);
    out.push(`  balances    ${totals.length > 0 ? totals.map(([c, t]) => `${c} ${exactText(t, c)}`).join(', ') : 'none'}`);
    for (const s of symbols) {
      const open = await client.fetchOpenOrders(s);
      out.push(`  open orders ${s}: ${open.length === 0 ? 'none' : open.map((x) => `${String(x.side)} ${exactText(x.amount, 'amount')} @ ${x.price ?? 'market'} (${String(x.clientOrderId ?? x.id)})`).join('; ')}`);
    }
    return out;
  } finally {
    await client.close();
  }
}

export async function runVenuesCheckCli(o: VenuesCheckOptions): Promise<void> {
  const r = await checkVenues(o);
  for (const line of r.lines) (r.ok ? console.log : console.error)(line);
  if (!r.ok) process.exitCode = 1;
}
