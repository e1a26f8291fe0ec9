/**
 * `warden/sim`: the simulated exchange (a matching book per instrument, venue balances,
 * slippage, fee, latency and limit-fill models) and paper trading over replayed bars.
 */
export { SimulatedExchange, type SimulatedExchangeOptions } from '../venues/sim/exchange/simulated-exchange.ts';
export { SimAccounts } from '../venues/sim/exchange/balances.ts';
export { exchangeModels, type ExchangeModelConfig, type ModelChoice } from '../venues/sim/exchange/configured-models.ts';
export type { ExchangeFees, ExchangeLatency, ExchangeLimitFill, ExchangeSlippage } from '../venues/sim/exchange/ports.ts';
export * as models from '../venues/sim/models/index.ts';
export { ReplayClock } from '../venues/sim/replay/replay-clock.ts';
export {
  addPaperVenue,
  openPaperSession,
  runPaper,
  type PaperContext,
  type PaperRunOptions,
  type PaperSession,
  type PaperSessionOptions,
  type PaperStrategy,
  type PaperVenueOptions,
} from '../venues/sim/replay/paper-session.ts';
