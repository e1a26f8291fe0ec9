export { loadNodeConfig, parseNodeConfig, type LoadedNodeConfig, type NodeConfig, type ParseOptions } from './load.ts';
export { ConfigError, problemLine, type ConfigProblem } from './problems.ts';
export { isSecretField, isSecretVariable, MIN_SECRET_LENGTH, type Env } from './env.ts';
export { currencyOf, instrumentConfigOf, instrumentSpecOf, intervalMs } from './instruments.ts';
export { simExchangeOptions, faultOptions } from './sim-venue.ts';
export {
  nodeConfigSchema,
  type AccountConfig,
  type ExplicitInstrumentConfig,
  type InstrumentConfig,
  type JournalConfig,
  type LoggingConfig,
  type ServerConfig,
  type GatewayConfig,
  type GatewayKeyConfig,
  type NodeConfigFile,
  type ReplayConfig,
  type StrategyConfig,
  type SubscriptionConfig,
  type WebhookConfig,
  type AlertSinkConfig,
  type AlertsConfig,
  type Severity,
} from './schema.ts';
export { alertSecrets, noAlerts, SEVERITIES } from './alerts.ts';
export { advisorSchema, advisorSecrets, type AdvisorConfig, type ModelTierConfig } from '../../advisor/models/config.ts';
export { LIVE_VENUE_TYPES, VENUE_TYPES, type CcxtVenueConfig, type SimVenueConfig, type VenueConfig } from './venues.ts';
