export {
  AKTIN_NAMESPACE,
  entityBombXml,
  type ImportErrorInput,
  type ImportStatisticsFormat,
  type ImportStatisticsInput,
  importStatisticsXml,
  type NodeDocumentInput,
  nodeListXml,
  nodeXml,
  propertiesXml,
  type WireTime,
} from './documents.js';
export {
  type BrokerEmulator,
  type BrokerEmulatorOptions,
  parseHttpDate,
  type RequestLogEntry,
  startBrokerEmulator,
} from './emulator.js';
export type { Fault, FaultKind, FaultTarget, RequestTarget } from './faults.js';
export { DEFAULT_RESOURCE_TYPE, type EmulatedNode, type NodeInput, type StoredResource } from './state.js';
export { formatHttpDate, formatInstant, formatXsDateTime } from './time-format.js';
