import type { Currency } from '../../model/currency.ts';
import { formatRaw } from '../../model/decimal.ts';
import type { Verdict } from '../../engine/gate.ts';
import type { RiskView } from '../../engine/risk-view.ts';
import { deny } from './denials.ts';
import { equity2, grossOf, sumStakes, worstNet, type ExposureSums } from './exposure.ts';
import type { OrderFacts } from './facts.ts';
import type { CompiledLimits } from './limits.ts';
import type { WorkingSet } from './working.ts';

const MICRO = 1_000_000n;
const PCT_MICRO = 100_000_000n;
const sums: ExposureSums = { gross2: 0n, up2: 0n, dn2: 0n };

/**
 * Account and firm-wide exposure, concentration and leverage for an order that adds working
 * quantity, all worst case (every working order filled) and in the order's settlement currency
 * (exposure in other currencies is not converted). A check denies only when the order makes the
 * figure worse and it ends above the limit, so an order that lowers an exposure already over a
 * (lowered) limit still passes. O(instruments held by the account / the firm).
 */
/** Doubled minor units as text, rounded up. */
function money(raw2: bigint, c: Currency): string {
  return `${formatRaw((raw2 + 1n) / 2n, c.precision)} ${c.code}`;
}

export function checkExposure(f: OrderFacts, ref2: bigint, view: RiskView, limits: CompiledLimits, working: WorkingSet): Verdict | undefined {
  const c = f.inst.settlement;
  const acct = limits.forAccount(f.accountId, c);
  const firm = limits.forFirm(c);
  const needAccount = acct.maxGross !== undefined || acct.maxNet !== undefined || acct.maxLeverage !== undefined || acct.maxConcentrationPct !== undefined;
  const needFirm = firm.maxGross !== undefined || firm.maxNet !== undefined;
  if (!needAccount && !needFirm) return undefined;

  const s = f.stake;
  const up = s.position + s.workBuy;
  const dn = s.position - s.workSell;
  const upAfter = f.side === 'BUY' ? up + f.add : up;
  const dnAfter = f.side === 'SELL' ? dn - f.add : dn;
  const ownBefore = grossOf(up, dn, ref2, s.factor);
  const ownAfter = grossOf(upAfter, dnAfter, ref2, s.factor);

  if (needAccount) {
    const stakes = working.account(f.accountId).stakes;
    sumStakes(stakes, c.code, s, view, sums);
    const grossAfter = sums.gross2 + ownAfter;
    const grossBefore = sums.gross2 + ownBefore;
    if (acct.maxGross !== undefined && grossAfter > 2n * acct.maxGross && grossAfter > grossBefore) {
      return deny('MAX_GROSS_EXPOSURE_EXCEEDED', `${f.where()}: account ${f.accountId} worst-case gross exposure ${money(grossAfter, c)} would exceed ${money(2n * acct.maxGross, c)}`, {
        limit: money(2n * acct.maxGross, c), actual: money(grossAfter, c), account: f.accountId,
      });
    }
    if (acct.maxNet !== undefined) {
      const after = worstNet(sums.up2 + upAfter * ref2 * s.factor, sums.dn2 + dnAfter * ref2 * s.factor);
      const before = worstNet(sums.up2 + up * ref2 * s.factor, sums.dn2 + dn * ref2 * s.factor);
      if (after > 2n * acct.maxNet && after > before) {
        return deny('MAX_NET_EXPOSURE_EXCEEDED', `${f.where()}: account ${f.accountId} worst-case net exposure ${money(after, c)} would exceed ${money(2n * acct.maxNet, c)}`, {
          limit: money(2n * acct.maxNet, c), actual: money(after, c), account: f.accountId,
        });
      }
    }
    if (acct.maxConcentrationPct !== undefined || acct.maxLeverage !== undefined) {
      const eq2 = equity2(view, f.accountId, c, stakes);
      if (acct.maxConcentrationPct !== undefined && ownAfter > ownBefore) {
        const pct = BigInt(Math.round(acct.maxConcentrationPct * 1_000_000));
        if (eq2 <= 0n || ownAfter * PCT_MICRO > eq2 * pct) {
          const actual = eq2 <= 0n ? 'equity <= 0' : `${((Number(ownAfter) / Number(eq2)) * 100).toFixed(2)}%`;
          return deny('CONCENTRATION_EXCEEDED', `${f.where()}: ${f.inst.id} would be ${actual} of account ${f.accountId} equity ${money(eq2, c)}, the maximum is ${acct.maxConcentrationPct}%`, {
            limit: `${acct.maxConcentrationPct}%`, actual, exposure: money(ownAfter, c), equity: money(eq2, c), account: f.accountId,
          });
        }
      }
      if (acct.maxLeverage !== undefined && grossAfter > grossBefore) {
        const lev = BigInt(Math.round(acct.maxLeverage * 1_000_000));
        if (eq2 <= 0n || grossAfter * MICRO > eq2 * lev) {
          const actual = eq2 <= 0n ? 'equity <= 0' : (Number(grossAfter) / Number(eq2)).toFixed(4);
          return deny('LEVERAGE_EXCEEDED', `${f.where()}: account ${f.accountId} leverage would be ${actual} (gross ${money(grossAfter, c)} / equity ${money(eq2, c)}), the maximum is ${acct.maxLeverage}`, {
            limit: acct.maxLeverage, actual, exposure: money(grossAfter, c), equity: money(eq2, c), account: f.accountId,
          });
        }
      }
    }
  }

  if (needFirm) {
    sumStakes(working.active, c.code, s, view, sums);
    if (firm.maxGross !== undefined) {
      const after = sums.gross2 + ownAfter;
      if (after > 2n * firm.maxGross && ownAfter > ownBefore) {
        return deny('FIRM_GROSS_EXPOSURE_EXCEEDED', `${f.where()}: firm-wide worst-case gross exposure ${money(after, c)} would exceed ${money(2n * firm.maxGross, c)}`, {
          limit: money(2n * firm.maxGross, c), actual: money(after, c), scope: 'FIRM',
        });
      }
    }
    if (firm.maxNet !== undefined) {
      const after = worstNet(sums.up2 + upAfter * ref2 * s.factor, sums.dn2 + dnAfter * ref2 * s.factor);
      const before = worstNet(sums.up2 + up * ref2 * s.factor, sums.dn2 + dn * ref2 * s.factor);
      if (after > 2n * firm.maxNet && after > before) {
        return deny('FIRM_NET_EXPOSURE_EXCEEDED', `${f.where()}: firm-wide worst-case net exposure ${money(after, c)} would exceed ${money(2n * firm.maxNet, c)}`, {
          limit: money(2n * firm.maxNet, c), actual: money(after, c), scope: 'FIRM',
        });
      }
    }
  }
  return undefined;
}
