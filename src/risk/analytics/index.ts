/** Risk analytics: VaR / ES, drawdowns, ratios, correlation, component VaR, stress tests. Pure, no I/O. */
export * from './correlation.ts';
export * from './drawdown.ts';
export * from './normal.ts';
export * from './portfolio-var.ts';
export * from './random.ts';
export * from './ratios.ts';
export * from './stats.ts';
export * from './stress.ts';
export * from './var-report.ts';
export * from './var.ts';
