import { checkPrecision } from './decimal.ts';
import { ValidationError } from './errors.ts';

export type CurrencyKind = 'FIAT' | 'CRYPTO';

export interface Currency {
  readonly code: string;
  /** Decimal places of the minor unit: the ledger is exact in these units. */
  readonly precision: number;
  readonly kind: CurrencyKind;
}

const CODE = /^[A-Z0-9]{2,12}$/;

export function currency(code: string, precision: number, kind: CurrencyKind): Currency {
  if (!CODE.test(code)) {
    throw new ValidationError('INVALID_CURRENCY', `currency code must be 2-12 upper-case letters or digits, got ${JSON.stringify(code)}`, {
      code,
    });
  }
  checkPrecision(precision, `currency ${code}`);
  return Object.freeze({ code, precision, kind });
}

/** Common currencies. Crypto precisions follow the venues' balance precision. */
export const Currencies = {
  USD: currency('USD', 2, 'FIAT'),
  EUR: currency('EUR', 2, 'FIAT'),
  USDT: currency('USDT', 8, 'CRYPTO'),
  USDC: currency('USDC', 8, 'CRYPTO'),
  BTC: currency('BTC', 8, 'CRYPTO'),
  ETH: currency('ETH', 8, 'CRYPTO'),
  XRP: currency('XRP', 6, 'CRYPTO'),
  BNB: currency('BNB', 8, 'CRYPTO'),
} as const satisfies Record<string, Currency>;

/** A lookup of currencies by code; starts with `Currencies`, more can be added. */
export class CurrencyRegistry {
  private readonly byCode = new Map<string, Currency>(Object.values(Currencies).map((c) => [c.code, c]));

  add(c: Currency): void {
    const existing = this.byCode.get(c.code);
    if (existing && existing.precision !== c.precision) {
      throw new ValidationError('INVALID_CURRENCY', `currency ${c.code} is already registered with precision ${existing.precision}`, {
        code: c.code,
      });
    }
    this.byCode.set(c.code, c);
  }

  get(code: string): Currency {
    const c = this.byCode.get(code);
    if (!c) throw new ValidationError('INVALID_CURRENCY', `unknown currency ${JSON.stringify(code)}`, { code });
    return c;
  }
}
