/** The exact decimal-string helpers moved to the shared Binance codec (the gateway uses them too). */
export * from '../../../src/server/gateway/wire/decimal.ts';
