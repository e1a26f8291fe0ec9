/** The fake TWS (see README.md: server version 176). */
export { DEFAULT_CONTRACTS, FakeTws, SERVER_VERSION, startFakeIbkr, type FakeIbkrOptions, type IbkrFaults } from './server.ts';
export type { ContractDef, Execution, FakeOrder } from './types.ts';
