import type { Currency } from '../../model/currency.ts';
import { formatRaw } from '../../model/decimal.ts';
import type { Verdict } from '../../engine/gate.ts';
import type { RiskView } from '../../engine/risk-view.ts';
import { deny } from './denials.ts';
import { equity2, grossAt, sumStakes, worstNet, type ExposureSums } from './exposure.ts';
import type { OrderFacts } from './facts.ts';
import type { AccountRules, CompiledLimits, FirmRules } from './limits.ts';
import { surelyWithinExposure } from './exposure-fast.ts';
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
  const needAccount = acct.maxGross2 !== undefined || acct.maxNet2 !== undefined || acct.leverageMicro !== undefined || acct.concentrationMicro !== undefined;
  const needFirm = firm.maxGross2 !== undefined || firm.maxNet2 !== undefined;
  if (!needAccount && !needFirm) return undefined;
  // The usual answer, within every limit, without bigint garbage: the exact path only when it may deny.
  if (surelyWithinExposure(f, ref2, view, acct, firm, working, needAccount, needFirm)) return undefined;
  return exactExposure(f, ref2, view, acct, firm, working, needAccount, needFirm);
}

/** The checks in exact (bigint) arithmetic: every denial is decided and worded here. */
export function exactExposure(f: OrderFacts, ref2: bigint, view: RiskView, acct: AccountRules, firm: FirmRules, working: WorkingSet, needAccount: boolean, needFirm: boolean): Verdict | undefined {
  const c = f.inst.settlement;
  // Every bigint operation allocates: on this path (every order) the figures "before the order"
  // are worked out only once a figure after it is over its limit, and the limits come doubled.
  const s = f.stake;
  const m = ref2 * s.factor;
  const up = s.position + s.workBuy;
  const dn = s.position - s.workSell;
  const upAfter = f.side === 'BUY' ? up + f.add : up;
  const dnAfter = f.side === 'SELL' ? dn - f.add : dn;
  const ownAfter = grossAt(upAfter, dnAfter, m);
  // Whether the order adds to its own gross exposure: asked only once a limit is passed (no closure: tsx names each one, an allocation).
  let grows: boolean | undefined;
  // The order's own worst-case net extremes, shared by the account's and the firm's net checks.
  let upM: bigint | undefined;
  let dnM: bigint | undefined;

  if (needAccount) {
    const stakes = working.account(f.accountId).stakes;
    sumStakes(stakes, c.code, s, view, sums);
    const grossAfter = sums.gross2 + ownAfter;
    if (acct.maxGross2 !== undefined && grossAfter > acct.maxGross2 && (grows ??= ownAfter > grossAt(up, dn, m))) {
      return deny('MAX_GROSS_EXPOSURE_EXCEEDED', `${f.where()}: account ${f.accountId} worst-case gross exposure ${money(grossAfter, c)} would exceed ${money(acct.maxGross2, c)}`, {
        limit: money(acct.maxGross2, c), actual: money(grossAfter, c), account: f.accountId,
      });
    }
    if (acct.maxNet2 !== undefined) {
      const after = worstNet(sums.up2 + (upM ??= upAfter * m), sums.dn2 + (dnM ??= dnAfter * m));
      if (after > acct.maxNet2 && after > worstNet(sums.up2 + up * m, sums.dn2 + dn * m)) {
        return deny('MAX_NET_EXPOSURE_EXCEEDED', `${f.where()}: account ${f.accountId} worst-case net exposure ${money(after, c)} would exceed ${money(acct.maxNet2, c)}`, {
          limit: money(acct.maxNet2, c), actual: money(after, c), account: f.accountId,
        });
      }
    }
    if (acct.concentrationMicro !== undefined || acct.leverageMicro !== undefined) {
      const eq2 = equity2(view, f.accountId, c, stakes);
      if (acct.concentrationMicro !== undefined && (eq2 <= 0n || ownAfter * PCT_MICRO > eq2 * acct.concentrationMicro) && (grows ??= ownAfter > grossAt(up, dn, m))) {
        const actual = eq2 <= 0n ? 'equity <= 0' : `${((Number(ownAfter) / Number(eq2)) * 100).toFixed(2)}%`;
        return deny('CONCENTRATION_EXCEEDED', `${f.where()}: ${f.inst.id} would be ${actual} of account ${f.accountId} equity ${money(eq2, c)}, the maximum is ${acct.maxConcentrationPct!}%`, {
          limit: `${acct.maxConcentrationPct!}%`, actual, exposure: money(ownAfter, c), equity: money(eq2, c), account: f.accountId,
        });
      }
      if (acct.leverageMicro !== undefined && (eq2 <= 0n || grossAfter * MICRO > eq2 * acct.leverageMicro) && (grows ??= ownAfter > grossAt(up, dn, m))) {
        const actual = eq2 <= 0n ? 'equity <= 0' : (Number(grossAfter) / Number(eq2)).toFixed(4);
        return deny('LEVERAGE_EXCEEDED', `${f.where()}: account ${f.accountId} leverage would be ${actual} (gross ${money(grossAfter, c)} / equity ${money(eq2, c)}), the maximum is ${acct.maxLeverage!}`, {
          limit: acct.maxLeverage!, actual, exposure: money(grossAfter, c), equity: money(eq2, c), account: f.accountId,
        });
      }
    }
  }

  if (needFirm) {
    sumStakes(working.active, c.code, s, view, sums);
    if (firm.maxGross2 !== undefined) {
      const after = sums.gross2 + ownAfter;
      if (after > firm.maxGross2 && (grows ??= ownAfter > grossAt(up, dn, m))) {
        return deny('FIRM_GROSS_EXPOSURE_EXCEEDED', `${f.where()}: firm-wide worst-case gross exposure ${money(after, c)} would exceed ${money(firm.maxGross2, c)}`, {
          limit: money(firm.maxGross2, c), actual: money(after, c), scope: 'FIRM',
        });
      }
    }
    if (firm.maxNet2 !== undefined) {
      const after = worstNet(sums.up2 + (upM ??= upAfter * m), sums.dn2 + (dnM ??= dnAfter * m));
      if (after > firm.maxNet2 && after > worstNet(sums.up2 + up * m, sums.dn2 + dn * m)) {
        return deny('FIRM_NET_EXPOSURE_EXCEEDED', `${f.where()}: firm-wide worst-case net exposure ${money(after, c)} would exceed ${money(firm.maxNet2, c)}`, {
          limit: money(firm.maxNet2, c), actual: money(after, c), scope: 'FIRM',
        });
      }
    }
  }
  return undefined;
}
