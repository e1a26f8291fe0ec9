import fc from 'fast-check';

// CI runs the property tests from a fixed seed so a red build always reproduces; locally each run
// explores new cases (set WARDEN_FC_SEED to replay one).
const seed = process.env.WARDEN_FC_SEED ?? (process.env.CI ? '20261122' : undefined);
if (seed !== undefined) fc.configureGlobal({ seed: Number(seed) });
