/**
 * TWS's reading of a PLACE_ORDER (3) request at server version 176, field by field in the order
 * the client encodes them (EClient.placeOrder: no message version from ORDER_CONTAINER 145 on,
 * conId from PLACE_ORDER_CONID, faProfile until FA_PROFILE_DESUPPORT 177, manualOrderTime from
 * 169, PEGBEST_PEGMID_OFFSETS fields only for IBKRATS and PEG BEST / PEG MID). Fields Warden
 * never sets are read and dropped; anything left over is a malformed request.
 */
import { FieldReader } from './wire.ts';

export interface PlacedContract {
  readonly conId: number;
  readonly symbol: string;
  readonly secType: string;
  readonly exchange: string;
  readonly currency: string;
}

export interface PlacedOrder {
  readonly orderId: number;
  readonly contract: PlacedContract;
  readonly action: string;
  /** As sent (decimal text). */
  readonly totalQuantity: string;
  readonly orderType: string;
  readonly lmtPrice: number | undefined;
  readonly auxPrice: number | undefined;
  readonly tif: string;
  readonly account: string;
  readonly orderRef: string;
  readonly transmit: boolean;
  readonly outsideRth: boolean;
  /** Iceberg: the size shown. */
  readonly displaySize: number | undefined;
  readonly goodTillDate: string;
  readonly trailStopPrice: number | undefined;
  readonly trailingPercent: number | undefined;
}

/** `fields` without the message id. Throws when the layout does not match version 176's. */
export function readPlaceOrder(fields: readonly string[]): PlacedOrder {
  const r = new FieldReader(fields);
  const orderId = r.int();
  const conId = r.int();
  const symbol = r.str();
  const secType = r.str();
  r.skip(4); // lastTradeDateOrContractMonth, strike, right, multiplier
  const exchange = r.str();
  r.str(); // primaryExch
  const currency = r.str();
  r.skip(4); // localSymbol, tradingClass, secIdType, secId
  const action = r.str();
  const totalQuantity = r.str();
  const orderType = r.str();
  const lmtPrice = r.dbl();
  const auxPrice = r.dbl();
  const tif = r.str();
  r.str(); // ocaGroup
  const account = r.str();
  r.skip(2); // openClose, origin
  const orderRef = r.str();
  const transmit = r.bool();
  r.skip(3); // parentId, blockOrder, sweepToFill
  const displaySize = r.str();
  r.skip(1); // triggerMethod
  const outsideRth = r.bool();
  r.skip(1); // hidden
  if (secType === 'BAG') throw new Error('combo orders are not served by this fake');
  const tail = readTail(r, orderType, exchange);
  return {
    orderId,
    contract: { conId, symbol, secType, exchange, currency },
    action,
    totalQuantity,
    orderType,
    lmtPrice,
    auxPrice,
    tif,
    account,
    orderRef,
    transmit,
    outsideRth,
    displaySize: displaySize === '' ? undefined : Number(displaySize),
    ...tail,
  };
}

/** The fields after the main ones, from sharesAllocation to manualOrderTime and the peg offsets. */
function readTail(r: FieldReader, orderType: string, exchange: string): Pick<PlacedOrder, 'goodTillDate' | 'trailStopPrice' | 'trailingPercent'> {
  r.skip(3); // sharesAllocation, discretionaryAmt, goodAfterTime
  const goodTillDate = r.str();
  r.skip(4); // faGroup, faMethod, faPercentage, faProfile
  r.skip(1); // modelCode
  r.skip(3); // shortSaleSlot, designatedLocation, exemptCode
  r.skip(16); // ocaType, rule80A, settlingFirm, allOrNone, minQty, percentOffset, eTradeOnly, firmQuoteOnly, nbboPriceCap, auctionStrategy, startingPrice, stockRefPrice, delta, stockRangeLower, stockRangeUpper, overridePercentageConstraints
  r.skip(2); // volatility, volatilityType
  const dnType = r.str();
  r.str(); // deltaNeutralAuxPrice
  if (dnType !== '') r.skip(8);
  r.skip(2); // continuousUpdate, referencePriceType
  const trailStopPrice = r.dbl();
  const trailingPercent = r.dbl();
  r.skip(2); // scaleInitLevelSize, scaleSubsLevelSize
  const scaleIncrement = r.dbl();
  if (scaleIncrement !== undefined && scaleIncrement > 0) r.skip(7);
  r.skip(3); // scaleTable, activeStartTime, activeStopTime
  if (r.str() !== '') r.str(); // hedgeType, hedgeParam
  r.skip(4); // optOutSmartRouting, clearingAccount, clearingIntent, notHeld
  if (r.bool()) r.skip(3); // deltaNeutralContract
  if (r.str() !== '') r.skip(2 * r.int()); // algoStrategy, its params
  r.skip(6); // algoId, whatIf, orderMiscOptions, solicited, randomizeSize, randomizePrice
  if (orderType === 'PEG BENCH') r.skip(5);
  const conditions = r.int();
  if (conditions > 0) throw new Error('conditional orders are not served by this fake');
  r.skip(7); // adjustedOrderType, triggerPrice, lmtPriceOffset, adjustedStopPrice, adjustedStopLimitPrice, adjustedTrailingAmount, adjustableTrailingUnit
  r.skip(1); // extOperator
  r.skip(2); // softDollarTier name, value
  r.skip(1); // cashQty
  r.skip(4); // mifid2 decision maker, algo, execution trader, algo
  r.skip(8); // dontUseAutoPriceForHedge, isOmsContainer, discretionaryUpToLimitPrice, usePriceMgmtAlgo, duration, postToAts, autoCancelParent, advancedErrorOverride
  r.skip(1); // manualOrderTime
  if (exchange === 'IBKRATS') r.skip(1);
  if (orderType === 'PEG BEST') r.skip(2);
  if (orderType === 'PEG MID') r.skip(2);
  if (r.rest !== 0) throw new Error(`${r.rest} fields left after the order`);
  return { goodTillDate, trailStopPrice, trailingPercent };
}
