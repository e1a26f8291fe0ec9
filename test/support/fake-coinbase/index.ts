/** The fake Coinbase Advanced Trade exchange: start it, point a real ccxt client at it. */
export { COINBASE_MARKETS, coinbaseClient, startFakeCoinbase, type FakeCoinbaseOptions, type FakeCoinbaseServer } from './server.ts';
export type { FakeExchangeServer, FakeFaults } from './types.ts';
