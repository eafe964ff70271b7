export { ConfigError, type ConfigIssue } from './errors.js';
export { envName, KEYS, type KeyKind, type KeySpec, type SectionName } from './keys.js';
export {
  type AktinSettings,
  type AppConfig,
  type AppName,
  type BrokerSettings,
  type ConfluenceSettings,
  type DirSettings,
  type LoadConfigOptions,
  loadConfig,
  loadMappingPath,
  loadMetricsSettings,
  type MetricsSettings,
  type SmtpSettings,
} from './load-config.js';
export {
  type ClinicIds,
  loadNodeMapping,
  MAPPING_DEFAULTS,
  type MappedNode,
  NOTIFY_KINDS,
  type NodeMapping,
  type NodeMappingProblem,
  type NotifyKind,
  parseNodeMapping,
} from './mapping.js';
