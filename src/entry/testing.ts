/**
 * `warden/testing`: for tests of code built on Warden. A clock and a timer the test moves, a
 * venue that answers as told, a wrapper that injects venue faults (timeouts, rejections,
 * duplicated or reordered reports, disconnects), and fixtures for a ready engine.
 */
export { TestClock } from '../engine/clock.ts';
export { ManualTimer } from '../execution/timer.ts';
export { ScriptedVenue, type ScriptedVenueOptions } from '../venues/scripted/scripted-venue.ts';
export {
  FaultInjectingVenue,
  describeInjected,
  type CallFault,
  type CallFaultRule,
  type FaultInjectingVenueOptions,
  type InjectedFault,
  type QueryFaultRule,
  type ReportFaultRule,
} from '../venues/sim/faults/index.ts';
export { testEngine, TEST_INSTRUMENT, type TestEngine, type TestEngineOptions } from '../testing/test-engine.ts';
