export {
  type BrokerClient,
  type BrokerClientOptions,
  type ConditionalRequestOptions,
  createBrokerClient,
  type Fetched,
  NODE_RESOURCE_NAMES,
  type NodeResourceName,
  type RequestOptions,
} from './client.js';
export {
  AKTIN_NAMESPACE,
  type BrokerNode,
  type ImportError,
  type ImportStatistics,
  type ResourceEntries,
} from './documents.js';
export {
  BrokerError,
  type BrokerErrorDetails,
  BrokerHttpError,
  BrokerNetworkError,
  BrokerResponseError,
  BrokerTimeoutError,
  InvalidOptionError,
} from './errors.js';
export type { BrokerClientLogger } from './transport.js';
