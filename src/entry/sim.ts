/**
 * `warden/sim`: the simulated exchange (a matching book per instrument, venue balances,
 * slippage, fee, latency and limit-fill models). Paper trading is the TradingNode in paper mode
 * (`warden run --config`, `warden paper`).
 */
export { SimulatedExchange, type SimulatedExchangeOptions } from '../venues/sim/exchange/simulated-exchange.ts';
export { SimAccounts } from '../venues/sim/exchange/balances.ts';
export { exchangeModels, type ExchangeModelConfig, type ModelChoice } from '../venues/sim/exchange/configured-models.ts';
export type { ExchangeFees, ExchangeLatency, ExchangeLimitFill, ExchangeSlippage } from '../venues/sim/exchange/ports.ts';
export * as models from '../venues/sim/models/index.ts';
