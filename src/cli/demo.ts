import { Engine } from '../engine/engine.ts';
import { TestClock } from '../engine/clock.ts';
import { MemoryJournal } from '../engine/journal.ts';
import type { EngineEvent } from '../engine/events.ts';
import { Currencies } from '../model/currency.ts';
import { Money } from '../model/money.ts';
import { ScriptedVenue } from '../venues/scripted/scripted-venue.ts';
import type { Price } from '../model/values.ts';

function describeEvent(e: EngineEvent): string {
  switch (e.kind) {
    case 'InstrumentRegistered':
      return `${e.spec.id} tick ${String(e.spec.tickSize)} lot ${String(e.spec.lotSize)}`;
    case 'AccountOpened':
      return `${e.accountId} ${e.accountType} ${e.positionMode} ${e.balances.map((b) => b.toString()).join(', ')}`;
    case 'BalanceAdjusted':
      return `${e.accountId} ${e.amount.toString()} (${e.reason})`;
    case 'OrderInitialized': {
      const s = e.spec;
      const px = 'price' in s && s.price ? ` @ ${s.price.toString()}` : '';
      return `${s.clientOrderId} ${s.side} ${s.quantity.toString()} ${s.instrumentId} ${s.type}${px} ${s.timeInForce}`;
    }
    case 'OrderDenied':
      return `${e.clientOrderId} ${e.code}: ${e.reason}`;
    case 'OrderAccepted':
      return `${e.clientOrderId} as ${e.venueOrderId}`;
    case 'OrderFilled':
      return `${e.clientOrderId} ${e.side} ${e.lastQty.toString()} @ ${e.lastPx.toString()} fee ${e.commission.toString()} (${e.liquidity}, trade ${e.tradeId})`;
    case 'OrderRejected':
    case 'OrderModifyRejected':
    case 'OrderCancelRejected':
      return `${e.clientOrderId}: ${e.reason}`;
    case 'OrderFillBusted':
      return `${e.clientOrderId} trade ${e.tradeId} busted: ${e.reason}`;
    case 'OrderStatusUnknown':
      return `${e.clientOrderId} ${e.request}: ${e.reason}`;
    case 'OrderUpdated':
      return `${e.clientOrderId} qty ${e.quantity?.toString() ?? '-'} px ${e.price?.toString() ?? '-'}`;
    case 'TradingStateChanged':
      return `${e.scope} ${e.state} by ${e.source}: ${e.reason}`;
    case 'BreakerTripped':
      return `${e.breaker} ${e.scope} ${e.action}: ${e.message}`;
    case 'BreakerReset':
      return `${e.breaker} ${e.scope} by ${e.source}`;
    case 'KillSwitchEngaged':
    case 'KillSwitchReset':
      return `by ${e.operator}: ${e.reason}`;
    case 'EmulatedOrderHeld':
    case 'EmulatedOrderMoved':
    case 'EmulatedOrderResized':
    case 'EmulatedOrderReleased':
    case 'EmulatedOrderCanceled':
      return `${e.clientOrderId} emulated`;
    case 'ContingencyRegistered':
    case 'ContingencyCompleted':
      return `group ${e.groupId}`;
    case 'AlgoStarted':
    case 'AlgoSliceSent':
    case 'AlgoChildCancelRequested':
    case 'AlgoResumed':
    case 'AlgoEnded':
      return `algo ${e.parentId}`;
    case 'StrategyStateSet':
      return `strategy ${e.strategyId} state ${e.key}`;
    case 'InstrumentUpdated':
      return `${e.spec.id} now tick ${String(e.spec.tickSize)} lot ${String(e.spec.lotSize)} (${e.origin})`;
    case 'MarketStatusChanged':
      return `${e.instrumentId ?? `venue ${e.venue}`} ${e.status} (${e.origin}): ${e.reason}`;
    case 'AdvisorConsulted':
      return `advisor ${e.task} (${e.tier}, ${e.model}): ${e.outcome}`;
    case 'AdvisorProposed':
      return `advisor proposal ${e.proposalId} (${e.consultation}): ${e.action} ${e.ticket}`;
    case 'AdvisorProposalRejected':
      return `advisor proposal ${e.proposalId} rejected by ${e.operator}: ${e.reason}`;
    case 'AuditRecorded':
      return `${e.principal} ${e.action}${e.target === undefined ? '' : ` ${e.target}`}: ${e.outcome}${e.code === undefined ? '' : ` ${e.code}`}`;
    case 'OrderSubmitted':
    case 'OrderTriggered':
    case 'OrderPendingUpdate':
    case 'OrderPendingCancel':
    case 'OrderCanceled':
    case 'OrderExpired':
      return e.clientOrderId;
  }
}

/**
 * `npm start` until the backtest lands: a handful of orders through the engine against a
 * scripted venue, printing every journaled event and the final positions and balances.
 */
export async function runDemo(print: (line: string) => void = console.log): Promise<Engine> {
  const clock = new TestClock(Date.parse('2023-03-13T00:00:00Z'));
  const journal = new MemoryJournal();
  const engine = new Engine({ clock, journal });
  let last: Price | string = '24100.00';
  const venue = new ScriptedVenue({ id: 'BINANCE', clock, marketPrice: () => last });
  engine.addVenue(venue);
  engine.bus.subscribe('record', (r) => print(`#${String(r.seq).padStart(3)} ${r.event.kind.padEnd(20)} ${describeEvent(r.event)}`));
  engine.bus.subscribe('alert', (a) => print(`ALERT ${a.code}: ${a.message}`));

  await engine.registerInstrument({
    id: 'BTCUSDT.BINANCE', kind: 'SPOT', base: Currencies.BTC, quote: Currencies.USDT,
    tickSize: '0.01', lotSize: '0.00001', minQuantity: '0.00001', maxNotional: '1000000', makerFee: '0.0002', takerFee: '0.001',
  });
  await engine.openAccount({ id: 'ACC-1', type: 'CASH', balances: [Money.of('100000', Currencies.USDT)] });

  const base = { accountId: 'ACC-1', strategyId: 'demo', instrumentId: 'BTCUSDT.BINANCE' } as const;
  await engine.submitOrder({ ...base, clientOrderId: 'O-1', side: 'BUY', type: 'MARKET', quantity: '0.5' });
  clock.advance(60_000);
  await engine.submitOrder({ ...base, clientOrderId: 'O-2', side: 'SELL', type: 'LIMIT', quantity: '0.3', price: '24500.00' });
  clock.advance(60_000);
  venue.fill('O-2', '0.1', '24500.00'); // partial fill of the resting sell
  await engine.modifyOrder('O-2', { price: '24600.00' });
  clock.advance(60_000);
  await engine.cancelOrder('O-2');
  last = '24350.50';
  await engine.submitOrder({ ...base, clientOrderId: 'O-3', side: 'BUY', type: 'MARKET', quantity: '0.25' });
  // A bad input: refused with a typed error, nothing journaled.
  try {
    await engine.submitOrder({ ...base, clientOrderId: 'O-4', side: 'BUY', type: 'LIMIT', quantity: '0.000001', price: '24000' });
  } catch (e) {
    const err = e as { code: string; message: string };
    print(`refused: ${err.code}: ${err.message}`);
  }
  engine.portfolio.mark(engine.instrument('BTCUSDT.BINANCE').id, { last: engine.instrument('BTCUSDT.BINANCE').price('24400.00') });

  print('');
  print('positions:');
  for (const p of engine.portfolio.allPositions()) {
    print(`  ${p.id} ${p.side} ${p.quantity.toString()} avg ${p.avgEntryPxText(2) ?? '-'} realized ${p.realizedPnl.toString()} unrealized ${engine.portfolio.unrealizedPnl(p).toString()}`);
  }
  print('balances:');
  for (const b of engine.portfolio.account(engine.portfolio.allAccounts()[0]!.id).balances()) {
    print(`  ${b.currency.code.padEnd(5)} total ${b.total.toDecimalString()} locked ${b.locked.toDecimalString()} free ${b.free.toDecimalString()}`);
  }
  print(`equity: ${engine.portfolio.equity(engine.portfolio.allAccounts()[0]!.id, Currencies.USDT).toString()}`);
  return engine;
}
