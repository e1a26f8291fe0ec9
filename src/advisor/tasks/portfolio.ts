/**
 * Portfolio risk: Warden computes concentration (weights, Herfindahl index, effective number of
 * positions), the correlation matrix of the positions' returns, parametric and component VaR,
 * historical VaR of the portfolio's returns and the built-in stress tests (src/risk/analytics);
 * the model comments on concentration, correlation and diversification, and may propose.
 */
import { z } from 'zod';
import type { AdvisorRequest } from '../consult.ts';
import { ValidationError } from '../../model/errors.ts';
import { componentVaR, correlationMatrix, covarianceMatrix, historicalVaR, stressAll, type StressPosition } from '../../risk/analytics/index.ts';
import { prose, requestOf, sig } from './common.ts';
import { proposalsField, type ProposalScope } from './proposal-schema.ts';

export interface PortfolioHolding {
  readonly instrumentId: string;
  readonly side: 'LONG' | 'SHORT';
  /** Position size (decimal text, as the ledger has it) and its mark. */
  readonly quantity: string;
  readonly mark: number;
  /** The asset the price moves with (BTC of BTCUSDT) and its class, for the stress scenarios. */
  readonly asset?: string;
  readonly assetClass?: string;
  /** Simple returns of the instrument over the same recent bars as every other holding (oldest first). */
  readonly returns: readonly number[];
}

export interface PortfolioFacts {
  readonly equity: number;
  readonly holdings: readonly { readonly instrumentId: string; readonly side: string; readonly value: number; readonly weight: number; readonly pctOfEquity: number }[];
  readonly grossExposure: number;
  readonly netExposure: number;
  /** Σ weight²: 1 = everything in one position. */
  readonly herfindahl: number | null;
  readonly effectivePositions: number | null;
  readonly largestWeight: number | null;
  readonly correlation: { readonly instruments: readonly string[]; readonly matrix: readonly (readonly (number | null)[])[]; readonly averagePairwise: number | null };
  readonly var95: { readonly parametric: number | null; readonly historical: number | null; readonly componentPct: Readonly<Record<string, number | null>> };
  readonly stress: readonly { readonly scenario: string; readonly pnl: number; readonly pctOfEquity: number | null }[];
  readonly returnsUsed: number;
}

/** Pure: the facts of a set of holdings with aligned return series. */
export function portfolioFacts(holdings: readonly PortfolioHolding[], equity: number): PortfolioFacts {
  const len = holdings[0]?.returns.length ?? 0;
  holdings.forEach((h, i) => {
    if (h.returns.length !== len) throw new ValidationError('INVALID_FIELD', `holdings[${i}].returns has ${h.returns.length} returns; every holding needs the same ${len}`, { field: `holdings[${i}].returns` });
  });
  const values = holdings.map((h) => (h.side === 'SHORT' ? -1 : 1) * Number(h.quantity) * h.mark);
  const gross = values.reduce((a, v) => a + Math.abs(v), 0);
  const weights = values.map((v) => (gross === 0 ? 0 : Math.abs(v) / gross));
  const hhi = holdings.length === 0 || gross === 0 ? null : weights.reduce((a, w) => a + w * w, 0);
  const ids = holdings.map((h) => h.instrumentId);
  const enough = len >= 3 && holdings.length > 0;
  const corr = enough ? correlationMatrix(holdings.map((h) => [...h.returns])) : [];
  let pairSum = 0;
  let pairs = 0;
  for (let i = 0; i < corr.length; i++) for (let j = i + 1; j < corr.length; j++) {
      const x = corr[i]![j]!;
      if (Number.isFinite(x)) {
        pairSum += x;
        pairs++;
      }
    }
  const cov = enough ? covarianceMatrix(holdings.map((h) => [...h.returns])) : [];
  const comp = enough && gross > 0 ? componentVaR(values, cov, { confidence: 0.95 }) : undefined;
  const portfolioReturns = enough && gross > 0 ? Array.from({ length: len }, (_, t) => holdings.reduce((a, h, i) => a + values[i]! * h.returns[t]!, 0) / gross) : [];
  const stressPositions: StressPosition[] = holdings.map((h) => ({ instrument: h.instrumentId, ...(h.asset ? { asset: h.asset } : {}), ...(h.assetClass ? { assetClass: h.assetClass } : {}), quantity: Number(h.quantity), price: h.mark, side: h.side }));
  return {
    equity: sig(equity) ?? 0,
    holdings: holdings.map((h, i) => ({ instrumentId: h.instrumentId, side: h.side, value: sig(values[i]) ?? 0, weight: sig(weights[i]) ?? 0, pctOfEquity: equity > 0 ? (sig((Math.abs(values[i]!) / equity) * 100) ?? 0) : 0 })),
    grossExposure: sig(gross) ?? 0,
    netExposure: sig(values.reduce((a, v) => a + v, 0)) ?? 0,
    herfindahl: sig(hhi),
    effectivePositions: hhi ? sig(1 / hhi) : null,
    largestWeight: weights.length ? sig(Math.max(...weights)) : null,
    correlation: { instruments: ids, matrix: corr.map((row) => row.map((x) => sig(x))), averagePairwise: pairs ? sig(pairSum / pairs) : null },
    var95: {
      parametric: sig(comp?.portfolioVaR),
      historical: portfolioReturns.length >= 20 ? sig(historicalVaR(portfolioReturns, { confidence: 0.95, value: gross })) : null,
      componentPct: Object.fromEntries(ids.map((id, i) => [id, sig(comp?.percent[i])])),
    },
    stress: stressAll(stressPositions).map((s) => ({ scenario: s.scenario, pnl: sig(s.totalPnl) ?? 0, pctOfEquity: equity > 0 ? sig((s.totalPnl / equity) * 100) : null })),
    returnsUsed: len,
  };
}

export function portfolioSchema(scope: ProposalScope) {
  return z.strictObject({
    concentration: z.strictObject({ level: z.enum(['low', 'moderate', 'high']), comment: prose(800) }),
    correlation: z.strictObject({ level: z.enum(['low', 'moderate', 'high']), comment: prose(800) }),
    diversification: prose(1_000),
    risks: z.array(prose(400)).max(8),
    summary: prose(1_500),
    proposals: proposalsField(scope),
  });
}
export type PortfolioAdvice = z.infer<ReturnType<typeof portfolioSchema>>;

const ROLE =
  "You are the portfolio risk analyst of Warden, an order management system. From Warden's figures (weights, Herfindahl index, correlation matrix, 95% VaR parametric, component and historical, stress test results), comment on concentration, correlation and diversification and list the main risks. You may propose exits or resizes of positions held; a person decides on each, and Warden's risk gate checks it.";

export function portfolioRequest(facts: PortfolioFacts, scope: ProposalScope): AdvisorRequest<PortfolioAdvice> {
  return requestOf('portfolio', 'reasoning', ROLE, { portfolio: facts, tradedInstruments: scope.instruments, positions: scope.positions }, portfolioSchema(scope), 'portfolio_risk');
}
