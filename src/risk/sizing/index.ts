/** Position sizing: pure functions from account, market and edge statistics to an exact quantity. */
export * from './allocation.ts';
export * from './consensus.ts';
export * from './context.ts';
export * from './enhanced-kelly.ts';
export * from './fixed-fractional.ts';
export * from './kelly.ts';
export * from './lot.ts';
export * from './result.ts';
export * from './risk-parity.ts';
export * from './volatility-target.ts';
