/** The shape every fake exchange server exports: test/support/fake-venue/types.ts. */
export type { FakeExchangeServer, FakeFaults } from '../fake-venue/types.ts';
