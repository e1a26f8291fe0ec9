/**
 * The messages TWS sends, laid out as at server version 176 (what EDecoder reads there): no
 * message version on ORDER_STATUS (from MARKET_CAP_PRICE 131), EXECUTION_DATA (from
 * LAST_LIQUIDITY 136), OPEN_ORDER (from ORDER_CONTAINER 145) or CONTRACT_DATA (from SIZE_RULES
 * 164); ERR_MSG carries advancedOrderRejectJson (from 166); sizes are decimal text
 * (FRACTIONAL_SIZE_SUPPORT 163); doubles as Java writes them.
 */
import type { ContractDef, Execution, FakeOrder } from './types.ts';
import { dbl, type Field } from './wire.ts';

export const IN = {
  ORDER_STATUS: 3,
  ERR_MSG: 4,
  OPEN_ORDER: 5,
  ACCT_VALUE: 6,
  PORTFOLIO_VALUE: 7,
  ACCT_UPDATE_TIME: 8,
  NEXT_VALID_ID: 9,
  CONTRACT_DATA: 10,
  EXECUTION_DATA: 11,
  MANAGED_ACCTS: 15,
  CURRENT_TIME: 49,
  CONTRACT_DATA_END: 52,
  OPEN_ORDER_END: 53,
  ACCT_DOWNLOAD_END: 54,
  EXECUTION_DATA_END: 55,
  COMMISSION_REPORT: 59,
  POSITION: 61,
  POSITION_END: 62,
} as const;

/** A size as TWS's Decimal text: "100", "0.5". */
export const size = (x: number): string => String(Number(x.toPrecision(15)));

export function errorMsg(id: number, code: number, message: string): Field[] {
  return [IN.ERR_MSG, 2, id, code, message, ''];
}

export function orderStatus(o: FakeOrder): Field[] {
  const remaining = o.status === 'Cancelled' || o.status === 'Inactive' ? 0 : o.totalQuantity - o.filled;
  return [IN.ORDER_STATUS, o.orderId, o.status, size(o.filled), size(remaining), dbl(o.avgFillPrice), o.permId, 0, dbl(o.lastFillPrice), o.clientId, '', dbl(0)];
}

function contractFields(c: ContractDef): Field[] {
  return [c.conId, c.symbol, c.secType, '', dbl(0), '', '', c.exchange, c.currency, c.symbol, c.symbol];
}

export function openOrder(o: FakeOrder): Field[] {
  const isTrail = o.orderType === 'TRAIL' || o.orderType === 'TRAIL LIMIT';
  return [
    IN.OPEN_ORDER,
    o.orderId,
    ...contractFields(o.contract),
    o.action, size(o.totalQuantity), o.orderType, dbl(o.lmtPrice), dbl(o.auxPrice), o.tif,
    '', o.account, 'O', 0, o.orderRef, o.clientId, o.permId, o.outsideRth, 0, dbl(0), '', '',
    '', '', '', '', // faGroup, faMethod, faPercentage, faProfile
    '', o.goodTillDate, '', '', '', // modelCode, goodTillDate, rule80A, percentOffset, settlingFirm
    0, '', -1, 0, // shortSaleSlot, designatedLocation, exemptCode, auctionStrategy
    '', '', '', '', '', o.displaySize, // startingPrice, stockRefPrice, delta, stockRangeLower, stockRangeUpper, displaySize
    0, 0, 0, '', 3, 0, 0, '', // blockOrder, sweepToFill, allOrNone, minQty, ocaType, eTradeOnly, firmQuoteOnly, nbboPriceCap
    0, 0, // parentId, triggerMethod
    '', 0, '', '', 0, 0, // volatility, volatilityType, deltaNeutralOrderType, deltaNeutralAuxPrice, continuousUpdate, referencePriceType
    dbl(isTrail ? o.trailStopPrice : undefined), dbl(o.trailingPercent),
    '', '', // basisPoints, basisPointsType
    '', 0, 0, // comboLegsDescription, comboLegs, orderComboLegs
    0, // smartComboRoutingParams
    '', '', '', // scaleInitLevelSize, scaleSubsLevelSize, scalePriceIncrement
    '', 0, '', '', 0, 0, // hedgeType, optOutSmartRouting, clearingAccount, clearingIntent, notHeld, deltaNeutralContract
    '', 0, // algoStrategy, solicited
    0, o.status, '', '', '', '', '', '', '', '', '', '', '', '', '', '', // whatIf, status, margins (9), commission, min, max, currency, warning
    0, 0, // randomizeSize, randomizePrice
    0, // conditions
    '', '', dbl(isTrail ? o.trailStopPrice : undefined), '', '', '', '', 0, // adjusted order params
    '', '', '', // softDollarTier name, value, displayName
    '', 0, 0, 0, 0, // cashQty, dontUseAutoPriceForHedge, isOmsContainer, discretionaryUpToLimitPrice, usePriceMgmtAlgo
    '', '', 0, // duration, postToAts, autoCancelParent
    '', '', '', '', '', // minTradeQty, minCompeteSize, competeAgainstBestOffset, midOffsetAtWhole, midOffsetAtHalf
  ];
}

export function execDetails(reqId: number, e: Execution): Field[] {
  return [
    IN.EXECUTION_DATA, reqId, e.orderId, ...contractFields(e.contract),
    e.execId, e.time, e.account, e.contract.exchange, e.side, size(e.shares), dbl(e.price), e.permId, e.clientId, 0,
    size(e.cumQty), dbl(e.avgPrice), e.orderRef, '', '', '', e.liquidity,
  ];
}

export function commissionReport(e: Execution): Field[] {
  return [IN.COMMISSION_REPORT, 1, e.execId, dbl(e.commission), e.contract.currency, dbl(Number.MAX_VALUE), dbl(Number.MAX_VALUE), 0];
}

export function contractData(reqId: number, c: ContractDef): Field[] {
  return [
    IN.CONTRACT_DATA, reqId, c.symbol, c.secType, '', dbl(0), '', c.exchange, c.currency, c.symbol, 'NMS', c.symbol, c.conId,
    dbl(c.minTick), '', 'ACTIVETIM,ALLOC,LIT,LMT,MIT,MKT,STP,STPLMT,TRAIL,TRAILLIT,TRAILLMT,TRAILMIT', 'SMART,NASDAQ,NYSE,ARCA',
    1, 0, c.longName, c.primaryExch, '', 'Technology', 'Computers', 'Computers', 'US/Eastern',
    '20261207:0930-20261207:1600', '20261207:0930-20261207:1600', '', '', 0, 1, '', '', '26,26', '', 'COMMON',
    '1', '1', '100',
  ];
}

export function position(account: string, c: ContractDef, pos: number, avgCost: number): Field[] {
  return [IN.POSITION, 3, account, c.conId, c.symbol, c.secType, '', dbl(0), '', dbl(0), '', c.currency, c.symbol, c.symbol, size(pos), dbl(avgCost)];
}

export function portfolioValue(account: string, c: ContractDef, pos: number, price: number, avgCost: number): Field[] {
  return [IN.PORTFOLIO_VALUE, 8, c.conId, c.symbol, c.secType, '', dbl(0), '', dbl(0), c.primaryExch, c.currency, c.symbol, c.symbol, size(pos), dbl(price), dbl(pos * price), dbl(avgCost), dbl(0), dbl(0), account];
}

export const accountValue = (key: string, value: string, currency: string, account: string): Field[] => [IN.ACCT_VALUE, 2, key, value, currency, account];
export const simple = (id: number, ...rest: Field[]): Field[] => [id, 1, ...rest];
