export { FaultInjectingVenue, type FaultInjectingVenueOptions, type HeldCall, type QueryableVenue } from './fault-injecting-venue.ts';
export { FaultPlan, type ReportDecision } from './plan.ts';
export {
  describeInjected,
  type AmbiguousCallFault,
  type CallFault,
  type CallFaultKind,
  type CallFaultRule,
  type InjectedFault,
  type QueryFaultRule,
  type ReportFaultKind,
  type ReportFaultRule,
  type VenueCall,
  type VenueQuery,
} from './rules.ts';
