/**
 * Stress tests: apply instantaneous price shocks to positions and report the PnL.
 *
 * A shock is a SIMPLE return applied to the price (-0.5 = price halves). For each position the
 * shock is looked up by, in order: its instrument id, its asset (e.g. 'BTC'), its asset class
 * (e.g. 'crypto'); a position no shock names is unchanged. PnL = signed quantity × price ×
 * multiplier × shock, positive for a gain, so a short position gains when its price falls.
 */
import type { Quantity } from '../../model/values.ts';
import { finite, invalidField, nonNegative } from './validate.ts';

export interface StressPosition {
  instrument: string;
  /** What the price moves with, e.g. 'BTC' for BTCUSDT and BTC-PERP. */
  asset?: string;
  /** e.g. 'crypto', 'equity', 'stablecoin'. */
  assetClass?: string;
  quantity: Quantity | number;
  price: number;
  /** Default 'LONG'. */
  side?: 'LONG' | 'SHORT';
  /** Contract multiplier; default 1. */
  multiplier?: number;
}

export interface Shocks {
  byInstrument?: Readonly<Record<string, number>>;
  byAsset?: Readonly<Record<string, number>>;
  byAssetClass?: Readonly<Record<string, number>>;
}

export interface StressScenario {
  name: string;
  description: string;
  shocks: Shocks;
}

export interface PositionStress {
  instrument: string;
  /** The shock applied, 0 if none matched. */
  shock: number;
  /** Where the shock came from. */
  matchedBy: 'instrument' | 'asset' | 'assetClass' | 'none';
  value: number;
  pnl: number;
}

export interface StressResult {
  scenario: string;
  positions: PositionStress[];
  totalPnl: number;
  /** Sum of signed position values before the shock. */
  totalValue: number;
}

/**
 * Built-in scenarios. The shocks are round, single-factor figures from the Risk issue, close to
 * (not exactly) the historical moves: BTC fell about 64 % over calendar 2022; the S&P 500 fell
 * 33.9 % from 19 Feb to 23 Mar 2020; USDC traded as low as about 0.88 USD on 11 Mar 2023.
 */
export const STRESS_SCENARIOS = {
  'crypto-crash-2022': {
    name: 'crypto-crash-2022',
    description: 'Crypto bear market of 2022: BTC and every other crypto asset -50%.',
    shocks: { byAsset: { BTC: -0.5 }, byAssetClass: { crypto: -0.5 } },
  },
  'covid-2020-03': {
    name: 'covid-2020-03',
    description: 'COVID crash, Feb-Mar 2020: equities -34%.',
    shocks: { byAssetClass: { equity: -0.34 } },
  },
  'usdc-depeg-2023-03': {
    name: 'usdc-depeg-2023-03',
    description: 'USDC de-peg after the Silicon Valley Bank failure, March 2023: USDC -10%.',
    shocks: { byAsset: { USDC: -0.1 } },
  },
} as const satisfies Record<string, StressScenario>;

export type StressScenarioName = keyof typeof STRESS_SCENARIOS;

function checkShocks(shocks: Shocks): void {
  for (const key of ['byInstrument', 'byAsset', 'byAssetClass'] as const) {
    for (const [name, s] of Object.entries(shocks[key] ?? {})) {
      finite(s, `shocks.${key}.${name}`);
      if (s < -1) invalidField(`shocks.${key}.${name}`, `a price cannot fall more than 100%, got ${s}`, s);
    }
  }
}

function lookup(p: StressPosition, shocks: Shocks): { shock: number; matchedBy: PositionStress['matchedBy'] } {
  const own = (r: Readonly<Record<string, number>> | undefined, k: string | undefined): number | undefined =>
    r !== undefined && k !== undefined && Object.hasOwn(r, k) ? r[k] : undefined;
  const byI = own(shocks.byInstrument, p.instrument);
  if (byI !== undefined) return { shock: byI, matchedBy: 'instrument' };
  const byA = own(shocks.byAsset, p.asset);
  if (byA !== undefined) return { shock: byA, matchedBy: 'asset' };
  const byC = own(shocks.byAssetClass, p.assetClass);
  if (byC !== undefined) return { shock: byC, matchedBy: 'assetClass' };
  return { shock: 0, matchedBy: 'none' };
}

/** Applies a scenario (built-in by name, or a custom one) to positions. */
export function stressTest(positions: readonly StressPosition[], scenario: StressScenario | StressScenarioName): StressResult {
  const sc: StressScenario = typeof scenario === 'string' ? STRESS_SCENARIOS[scenario] : scenario;
  if (sc === undefined) invalidField('scenario', `unknown scenario ${JSON.stringify(scenario)}`);
  checkShocks(sc.shocks);
  const rows = positions.map((p, i): PositionStress => {
    const q = typeof p.quantity === 'number' ? nonNegative(p.quantity, `positions[${i}].quantity`) : p.quantity.toNumber();
    const price = nonNegative(p.price, `positions[${i}].price`);
    const mult = p.multiplier === undefined ? 1 : finite(p.multiplier, `positions[${i}].multiplier`);
    const sign = p.side === 'SHORT' ? -1 : 1;
    const value = sign * q * price * mult;
    const { shock, matchedBy } = lookup(p, sc.shocks);
    return { instrument: p.instrument, shock, matchedBy, value, pnl: value * shock };
  });
  return {
    scenario: sc.name,
    positions: rows,
    totalPnl: rows.reduce((s, r) => s + r.pnl, 0),
    totalValue: rows.reduce((s, r) => s + r.value, 0),
  };
}

/** Every built-in scenario applied to the same positions, worst total first. */
export function stressAll(positions: readonly StressPosition[], extra: readonly StressScenario[] = []): StressResult[] {
  const all: StressScenario[] = [...Object.values(STRESS_SCENARIOS), ...extra];
  return all.map((s) => stressTest(positions, s)).sort((a, b) => a.totalPnl - b.totalPnl);
}
