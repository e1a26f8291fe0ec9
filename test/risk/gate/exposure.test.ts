import { describe, expect, it } from 'vitest';
import { BTC, expectAllowed, expectDenied, gateSetup, limit, marketBuy } from './fixtures.ts';

const BTC_LIMITS = { max_order_quantity: '5', max_order_notional: '150000', max_position_quantity: '10', max_position_notional: '300000' };

describe('worst-case position counts working orders (FAULTS 12)', () => {
  it('filled 3 + working 5 + 2 = 10 BTC passes a 10 BTC maximum; 0.005 more is MAX_POSITION_QUANTITY_EXCEEDED', async () => {
    const h = await gateSetup();
    await expectAllowed(h, marketBuy('M-1', '3')); // fills at 24,100
    await expectAllowed(h, limit('L-1', 'BUY', '5', '24000.00'));
    await expectAllowed(h, limit('L-2', 'BUY', '2', '24000.00'));
    const d = await expectDenied(h, limit('L-3', 'BUY', '0.005', '24000.00'), 'MAX_POSITION_QUANTITY_EXCEEDED');
    expect(d.context).toMatchObject({ limit: '10.000', actual: '10.005' });
    // The other side is not the worst case: a sell still passes.
    await expectAllowed(h, limit('S-1', 'SELL', '5', '24000.00'));
    // Canceling a working buy frees room.
    await h.engine.cancelOrder('L-2');
    await expectAllowed(h, limit('L-4', 'BUY', '2', '24000.00'));
  });

  it('the short side: working sells 5 + 5 reach -10, one more lot is denied', async () => {
    const h = await gateSetup();
    await expectAllowed(h, limit('S-1', 'SELL', '5', '24000.00'));
    await expectAllowed(h, limit('S-2', 'SELL', '5', '24000.00'));
    await expectDenied(h, limit('S-3', 'SELL', '0.005', '24000.00'), 'MAX_POSITION_QUANTITY_EXCEEDED');
  });

  it('position notional at the reference: 12.5 BTC x 24,000 = 300,000 passes, 12.505 BTC is MAX_POSITION_NOTIONAL_EXCEEDED', async () => {
    const h = await gateSetup({ instruments: { [BTC]: { ...BTC_LIMITS, max_position_quantity: '100' } } });
    await expectAllowed(h, limit('L-1', 'BUY', '5', '24000.00'));
    await expectAllowed(h, limit('L-2', 'BUY', '5', '24000.00'));
    await expectAllowed(h, limit('L-3', 'BUY', '2.5', '24000.00'));
    const d = await expectDenied(h, limit('L-4', 'BUY', '0.005', '24000.00'), 'MAX_POSITION_NOTIONAL_EXCEEDED');
    expect(d.context).toMatchObject({ limit: '300000.00000000 USDT', actual: '300120.00000000 USDT' });
  });

  it('strategies of one account add up: s1 working 6 + s2 4 = 10, s2 one lot more is denied', async () => {
    const h = await gateSetup();
    await expectAllowed(h, limit('A-1', 'BUY', '5', '24000.00'));
    await expectAllowed(h, limit('A-2', 'BUY', '1', '24000.00'));
    await expectAllowed(h, limit('B-1', 'BUY', '4', '24000.00', { strategyId: 's2' }));
    await expectDenied(h, limit('B-2', 'BUY', '0.005', '24000.00', { strategyId: 's2' }), 'MAX_POSITION_QUANTITY_EXCEEDED');
  });
});

describe('account exposure', () => {
  it('gross 100,000: working 4.165 BTC (99,960) passes, 0.005 more (100,080) is MAX_GROSS_EXPOSURE_EXCEEDED', async () => {
    const h = await gateSetup({ accounts: { 'ACC-1': { max_gross_exposure: '100000' } } });
    await expectAllowed(h, limit('L-1', 'BUY', '4', '24000.00'));
    await expectAllowed(h, limit('L-2', 'BUY', '0.165', '24000.00'));
    const d = await expectDenied(h, limit('L-3', 'BUY', '0.005', '24000.00'), 'MAX_GROSS_EXPOSURE_EXCEEDED');
    expect(d.context).toMatchObject({ limit: '100000.00000000 USDT', actual: '100080.00000000 USDT', account: 'ACC-1' });
    // Another account is not limited by ACC-1's figure.
    await expectAllowed(h, limit('X-1', 'BUY', '1', '24000.00', { accountId: 'ACC-2', strategyId: 's2' }));
  });

  it('gross counts every instrument the account holds, valued at its mark (ETH 10 x 1,500 = 15,000)', async () => {
    const h = await gateSetup({
      instruments: { [BTC]: BTC_LIMITS, 'ETHUSDT.BINANCE': BTC_LIMITS },
      accounts: { 'ACC-1': { max_gross_exposure: '100000' } },
    });
    h.ref('ETHUSDT.BINANCE', '1500');
    await expectAllowed(h, limit('E-1', 'BUY', '5', '1500.00', { instrumentId: 'ETHUSDT.BINANCE' }));
    await expectAllowed(h, limit('E-2', 'BUY', '5', '1500.00', { instrumentId: 'ETHUSDT.BINANCE' }));
    await expectAllowed(h, limit('L-1', 'BUY', '3.54', '24000.00')); // 84,960 + 15,000 = 99,960
    await expectDenied(h, limit('L-2', 'BUY', '0.005', '24000.00'), 'MAX_GROSS_EXPOSURE_EXCEEDED');
  });

  it('net 50,000: long 2 BTC working passes, a third BTC is MAX_NET_EXPOSURE_EXCEEDED; sells that lower it pass', async () => {
    const h = await gateSetup({ accounts: { 'ACC-1': { max_net_exposure: '50000' } } });
    await expectAllowed(h, limit('L-1', 'BUY', '2', '24000.00'));
    await expectDenied(h, limit('L-2', 'BUY', '1', '24000.00'), 'MAX_NET_EXPOSURE_EXCEEDED');
    await expectAllowed(h, limit('S-1', 'SELL', '2', '24000.00'));
  });
});

describe('firm-wide exposure across accounts and strategies (FAULTS 13)', () => {
  it('firm gross 100,000: ACC-1/s1 72,000 working + ACC-2/s2 27,600 passes, then any account or strategy adding more is denied', async () => {
    const h = await gateSetup({ firm: { max_gross_exposure: '100000' } });
    await expectAllowed(h, limit('A-1', 'BUY', '3', '24000.00'));
    await expectDenied(h, limit('B-1', 'BUY', '1.2', '24000.00', { accountId: 'ACC-2', strategyId: 's2' }), 'FIRM_GROSS_EXPOSURE_EXCEEDED');
    await expectAllowed(h, limit('B-2', 'BUY', '1.15', '24000.00', { accountId: 'ACC-2', strategyId: 's2' }));
    const d = await expectDenied(h, limit('C-1', 'BUY', '0.1', '24000.00', { strategyId: 's9' }), 'FIRM_GROSS_EXPOSURE_EXCEEDED');
    expect(d.context).toMatchObject({ limit: '100000.00000000 USDT', actual: '102000.00000000 USDT', scope: 'FIRM' });
    await expectDenied(h, limit('C-2', 'BUY', '0.02', '24000.00', { accountId: 'ACC-2', strategyId: 's3' }), 'FIRM_GROSS_EXPOSURE_EXCEEDED');
  });

  it('a sell against a working buy does not raise the worst case, so it passes a full firm limit', async () => {
    const h = await gateSetup({ firm: { max_gross_exposure: '72000' } });
    await expectAllowed(h, limit('A-1', 'BUY', '3', '24000.00'));
    await expectAllowed(h, limit('A-2', 'SELL', '0.1', '24000.00', { strategyId: 's9' }));
    await expectDenied(h, limit('A-3', 'BUY', '0.005', '24000.00', { strategyId: 's9' }), 'FIRM_GROSS_EXPOSURE_EXCEEDED');
  });

  it('firm net 50,000: ACC-1 long 2 BTC, ACC-2 buying 0.1 more is FIRM_NET_EXPOSURE_EXCEEDED', async () => {
    const h = await gateSetup({ firm: { max_net_exposure: '50000' } });
    await expectAllowed(h, limit('A-1', 'BUY', '2', '24000.00'));
    await expectDenied(h, limit('B-1', 'BUY', '0.1', '24000.00', { accountId: 'ACC-2', strategyId: 's2' }), 'FIRM_NET_EXPOSURE_EXCEEDED');
    await expectAllowed(h, limit('B-2', 'BUY', '0.08', '24000.00', { accountId: 'ACC-2', strategyId: 's2' }));
  });
});

describe('concentration and leverage against equity', () => {
  it('ACC-2 (equity 50,000) at most 50% in BTC: 1.04 BTC (24,960) passes, 1.045 (25,080) is CONCENTRATION_EXCEEDED', async () => {
    const h = await gateSetup({ accounts: { 'ACC-2': { max_concentration_pct: 50 } } });
    const acc2 = { accountId: 'ACC-2', strategyId: 's2' };
    await expectDenied(h, limit('B-1', 'BUY', '1.045', '24000.00', acc2), 'CONCENTRATION_EXCEEDED');
    const d = await expectDenied(h, limit('B-2', 'BUY', '1.045', '24000.00', acc2), 'CONCENTRATION_EXCEEDED');
    expect(d.context).toMatchObject({ limit: '50%', actual: '50.16%', equity: '50000.00000000 USDT' });
    await expectAllowed(h, limit('B-3', 'BUY', '1.04', '24000.00', acc2));
  });

  it('ACC-2 leverage at most 0.5: gross 24,960 / 50,000 passes, 25,080 / 50,000 is LEVERAGE_EXCEEDED', async () => {
    const h = await gateSetup({ accounts: { 'ACC-2': { max_leverage: 0.5 } } });
    const acc2 = { accountId: 'ACC-2', strategyId: 's2' };
    await expectAllowed(h, limit('B-1', 'BUY', '0.5', '24000.00', acc2));
    const d = await expectDenied(h, limit('B-2', 'BUY', '0.545', '24000.00', acc2), 'LEVERAGE_EXCEEDED');
    expect(d.context).toMatchObject({ limit: 0.5, actual: '0.5016' });
    await expectAllowed(h, limit('B-3', 'BUY', '0.54', '24000.00', acc2));
  });
});

describe('buying power', () => {
  it('ACC-2 has 50,000 USDT: 2.08 BTC at 24,000 + 0.1% fee (49,969.92) passes, 2.085 (50,090.04) is INSUFFICIENT_BUYING_POWER', async () => {
    const h = await gateSetup();
    const acc2 = { accountId: 'ACC-2', strategyId: 's2' };
    const d = await expectDenied(h, limit('B-1', 'BUY', '2.085', '24000.00', acc2), 'INSUFFICIENT_BUYING_POWER');
    expect(d.context).toMatchObject({ limit: '50000.00000000 USDT', actual: '50090.04000000 USDT' });
    await expectAllowed(h, limit('B-2', 'BUY', '2.08', '24000.00', acc2));
  });

  it('other working orders count: after 1 BTC working (24,000 locked) 1.08 passes and then 0.005 more does not', async () => {
    const h = await gateSetup();
    const acc2 = { accountId: 'ACC-2', strategyId: 's2' };
    await expectAllowed(h, limit('B-1', 'BUY', '1', '24000.00', acc2));
    await expectAllowed(h, limit('B-2', 'BUY', '1.08', '24000.00', acc2));
    await expectDenied(h, limit('B-3', 'BUY', '0.005', '24000.00', acc2), 'INSUFFICIENT_BUYING_POWER');
  });

  it('a spot sell needs the base: ACC-2 holds no BTC, ACC-1 sells 5 of its 10, then 5 more, then none', async () => {
    const h = await gateSetup({ instruments: { [BTC]: { ...BTC_LIMITS, max_position_quantity: '100' } } });
    const d = await expectDenied(h, limit('S-1', 'SELL', '0.005', '24000.00', { accountId: 'ACC-2', strategyId: 's2' }), 'INSUFFICIENT_BUYING_POWER');
    expect(d.context).toMatchObject({ currency: 'BTC' });
    await expectAllowed(h, limit('S-2', 'SELL', '5', '24000.00'));
    await expectAllowed(h, limit('S-3', 'SELL', '5', '24000.00'));
    await expectDenied(h, limit('S-4', 'SELL', '0.005', '24000.00', { strategyId: 's3' }), 'INSUFFICIENT_BUYING_POWER');
  });
});
