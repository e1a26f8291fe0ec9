import { ValidationError, shown } from '../../../model/errors.ts';
import type { BookModify, BookOrderRequest, StpMode } from './types.ts';

/**
 * Input checks of the matching engine. The exchange layer validates orders against the instrument
 * before they reach the book; these checks are the last line, so a bug upstream fails loudly with
 * a typed error (`context.field` names the field) instead of corrupting the book.
 */

const SIDES = new Set<unknown>(['BUY', 'SELL']);
const TYPES = new Set<unknown>(['LIMIT', 'MARKET']);
const TIFS = new Set<unknown>(['GTC', 'IOC', 'FOK', 'DAY', 'GTD']);
const STP_MODES = new Set<unknown>(['NONE', 'CANCEL_TAKER', 'CANCEL_MAKER', 'CANCEL_BOTH']);

function invalid(field: string, message: string, value: unknown): never {
  throw new ValidationError('INVALID_FIELD', `${field} ${message}, got ${shown(value)}`, { field, input: shown(value) });
}

function incompatible(field: string, message: string): never {
  throw new ValidationError('INCOMPATIBLE_ORDER_OPTIONS', message, { field });
}

/** Ticks and lots: safe positive integers (1 ≤ value ≤ 2^53 − 1). */
export function isTicksOrLots(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value > 0;
}

export function checkPositiveInt(field: string, value: unknown): number {
  if (!isTicksOrLots(value)) invalid(field, 'must be a safe positive integer', value);
  return value;
}

export function checkStpMode(value: unknown): StpMode {
  if (!STP_MODES.has(value)) invalid('stp', 'must be NONE, CANCEL_TAKER, CANCEL_MAKER or CANCEL_BOTH', value);
  return value as StpMode;
}

export function checkRequest(req: BookOrderRequest): void {
  if (typeof req !== 'object' || req === null) invalid('request', 'must be an object', req);
  if (typeof req.id !== 'string' || req.id.length === 0) invalid('id', 'must be a non-empty string', req.id);
  if (req.owner !== undefined && typeof req.owner !== 'string') invalid('owner', 'must be a string', req.owner);
  if (!SIDES.has(req.side)) invalid('side', 'must be BUY or SELL', req.side);
  if (!TYPES.has(req.type)) invalid('type', 'must be LIMIT or MARKET', req.type);
  if (!TIFS.has(req.tif)) invalid('tif', 'must be GTC, IOC, FOK, DAY or GTD', req.tif);
  checkPositiveInt('qty', req.qty);
  const market = req.type === 'MARKET';
  if (market) {
    if (req.price !== undefined) throw new ValidationError('UNEXPECTED_PRICE', 'a MARKET order takes no price', { field: 'price' });
    if (req.tif === 'DAY' || req.tif === 'GTD') incompatible('tif', `a MARKET order cannot be ${req.tif}`);
  } else {
    if (req.price === undefined) throw new ValidationError('MISSING_PRICE', 'a LIMIT order needs a price', { field: 'price' });
    checkPositiveInt('price', req.price);
  }
  const rests = !market && req.tif !== 'IOC' && req.tif !== 'FOK';
  if (req.postOnly !== undefined) {
    if (typeof req.postOnly !== 'boolean') invalid('postOnly', 'must be a boolean', req.postOnly);
    if (req.postOnly && !rests) incompatible('postOnly', `postOnly needs a resting LIMIT order, not ${req.type} ${req.tif}`);
  }
  if (req.displayQty !== undefined) {
    checkPositiveInt('displayQty', req.displayQty);
    if (!rests) incompatible('displayQty', `displayQty needs a resting LIMIT order, not ${req.type} ${req.tif}`);
  }
  if (req.tif === 'DAY' || req.tif === 'GTD') {
    if (req.expireAt === undefined) throw new ValidationError('MISSING_EXPIRE_TIME', `a ${req.tif} order needs expireAt`, { field: 'expireAt' });
    if (checkEpochMillis('expireAt', req.expireAt) < 0) invalid('expireAt', 'must not be negative', req.expireAt);
  } else if (req.expireAt !== undefined) {
    incompatible('expireAt', `expireAt is only for DAY and GTD orders, not ${req.tif}`);
  }
}

export function checkEpochMillis(field: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value)) invalid(field, 'must be integer epoch milliseconds', value);
  return value;
}

export function checkModify(change: BookModify): void {
  if (typeof change !== 'object' || change === null) invalid('change', 'must be an object', change);
  if (change.qty === undefined && change.price === undefined) invalid('change', 'must change qty or price', change);
  if (change.qty !== undefined) checkPositiveInt('qty', change.qty);
  if (change.price !== undefined) checkPositiveInt('price', change.price);
}

export function checkLevels(levels: unknown): number {
  if (typeof levels !== 'number' || !Number.isSafeInteger(levels) || levels < 0) invalid('levels', 'must be a non-negative integer', levels);
  return levels;
}
