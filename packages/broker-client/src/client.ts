import {
  type BrokerNode,
  checkNodeId,
  type ImportStatistics,
  type ResourceEntries,
  readImportStatistics,
  readNodeList,
  readProperties,
} from './documents.js';
import { BrokerResponseError } from './errors.js';
import { parseXml, type XmlElement, XmlRefusedError } from './safe-xml.js';
import { type BrokerClientLogger, type CompletedResponse, createTransport } from './transport.js';

export interface BrokerClientOptions {
  /** Broker base URL (BROKER.URL), e.g. `https://broker.example.org`; a trailing slash is fine. */
  url: string;
  /** Admin API key (BROKER.API_KEY), sent as `Authorization: Bearer <key>` and nowhere else. */
  apiKey: string;
  /** Per request attempt, including reading the body. Default 10 000. */
  timeoutMs?: number;
  /** Attempts per request for network errors, timeouts and 5xx. Default 3. */
  tries?: number;
  /** Requests in flight at once, shared by all calls of this client. Default 16. */
  concurrency?: number;
  /** PEM file added to Node's root certificates (REQUESTS_CA_BUNDLE). */
  caBundlePath?: string;
  logger?: BrokerClientLogger;
  /** First backoff step; later steps double, each jittered to ½–1 of the step. Default 500. */
  retryDelayMs?: number;
  /** Larger bodies are refused (declared or streamed). Default 1 MiB. */
  maxBodyBytes?: number;
  userAgent?: string;
}

export interface RequestOptions {
  /** Aborts the call, also while it waits for a slot or a retry (e.g. a per-node time budget). */
  signal?: AbortSignal;
}

export interface ConditionalRequestOptions extends RequestOptions {
  /** The Last-Modified text this caller holds; the broker answers 304 if nothing newer was uploaded. */
  ifModifiedSince?: string;
}

/** A node resource fetched conditionally. */
export type Fetched<T> =
  | {
      kind: 'fresh' /** Last-Modified as sent, for the next `ifModifiedSince`. */;
      lastModified?: string;
      value: T;
    }
  | { kind: 'not-modified' }
  | { kind: 'not-found' };

export const NODE_RESOURCE_NAMES = ['versions', 'rscript', 'python', 'import-scripts'] as const;
export type NodeResourceName = (typeof NODE_RESOURCE_NAMES)[number];

export interface BrokerClient {
  /** `HEAD /broker/status` without key; throws unless the broker answers below 400. */
  checkStatus(options?: RequestOptions): Promise<void>;
  /** `GET /broker/node`: every node with id (digits, checked), clientDN and last-contact, in broker order. */
  listNodes(options?: RequestOptions): Promise<BrokerNode[]>;
  /** `GET /broker/node/{id}/stats`: counters and last errors from one request. */
  getImportStatistics(id: string, options?: ConditionalRequestOptions): Promise<Fetched<ImportStatistics>>;
  /** `GET /broker/node/{id}/{name}`: the properties' entries in document order. */
  getResource(
    id: string,
    name: NodeResourceName,
    options?: ConditionalRequestOptions,
  ): Promise<Fetched<ResourceEntries>>;
  /** Closes the client's connections. */
  close(): Promise<void>;
}

const DEFAULTS = {
  timeoutMs: 10_000,
  tries: 3,
  concurrency: 16,
  retryDelayMs: 500,
  maxBodyBytes: 1024 * 1024,
  userAgent: 'broker-monitor (@broker-monitor/broker-client)',
};

export function createBrokerClient(options: BrokerClientOptions): BrokerClient {
  const transport = createTransport({
    url: options.url,
    apiKey: options.apiKey,
    timeoutMs: options.timeoutMs ?? DEFAULTS.timeoutMs,
    tries: options.tries ?? DEFAULTS.tries,
    concurrency: options.concurrency ?? DEFAULTS.concurrency,
    retryDelayMs: options.retryDelayMs ?? DEFAULTS.retryDelayMs,
    maxBodyBytes: options.maxBodyBytes ?? DEFAULTS.maxBodyBytes,
    userAgent: options.userAgent ?? DEFAULTS.userAgent,
    caBundlePath: options.caBundlePath,
    logger: options.logger,
  });

  async function parse<T>(response: CompletedResponse, read: (root: XmlElement) => T): Promise<T> {
    // Parse after pending I/O: responses that arrived meanwhile free their slots and start the
    // next requests first, so parsing never sits on the path between two requests.
    await new Promise((resolve) => setImmediate(resolve));
    try {
      return read(parseXml(response.body));
    } catch (error) {
      if (error instanceof XmlRefusedError) {
        throw new BrokerResponseError(error.message, response.status, response.details);
      }
      throw error;
    }
  }

  async function getNodeDocument<T>(
    id: string,
    name: string,
    options: ConditionalRequestOptions,
    read: (root: XmlElement) => T,
  ): Promise<Fetched<T>> {
    if (options.ifModifiedSince !== undefined && /[\r\n]/.test(options.ifModifiedSince)) {
      throw new RangeError('ifModifiedSince must be a single-line HTTP date');
    }
    const response = await transport.request({
      method: 'GET',
      path: `broker/node/${argumentNodeId(id)}/${name}`,
      authenticated: true,
      expect: (status) => status === 200 || status === 304 || status === 404,
      ...(options.ifModifiedSince === undefined ? {} : { ifModifiedSince: options.ifModifiedSince }),
      ...(options.signal === undefined ? {} : { signal: options.signal }),
    });
    if (response.status === 404) return { kind: 'not-found' };
    if (response.status === 304) {
      if (options.ifModifiedSince === undefined) {
        throw new BrokerResponseError('304 Not Modified to an unconditional request', 304, response.details);
      }
      return { kind: 'not-modified' };
    }
    const lastModified = response.header('last-modified');
    return {
      kind: 'fresh',
      ...(lastModified === null ? {} : { lastModified }),
      value: await parse(response, read),
    };
  }

  return {
    async checkStatus(options = {}) {
      await transport.request({
        method: 'HEAD',
        path: 'broker/status',
        authenticated: false,
        expect: (status) => status < 400,
        ...(options.signal === undefined ? {} : { signal: options.signal }),
      });
    },

    async listNodes(options = {}) {
      const response = await transport.request({
        method: 'GET',
        path: 'broker/node',
        authenticated: true,
        expect: (status) => status === 200,
        ...(options.signal === undefined ? {} : { signal: options.signal }),
      });
      return parse(response, readNodeList);
    },

    getImportStatistics(id, options = {}) {
      return getNodeDocument(id, 'stats', options, readImportStatistics);
    },

    getResource(id, name, options = {}) {
      if (!(NODE_RESOURCE_NAMES as readonly string[]).includes(name)) {
        return Promise.reject(new RangeError(`unknown node resource ${JSON.stringify(name)}`));
      }
      return getNodeDocument(id, name, options, readProperties);
    },

    close: () => transport.close(),
  };
}

/** Ids come from `listNodes` (already checked); anything else is a programming error. */
function argumentNodeId(id: string): string {
  try {
    return checkNodeId(id);
  } catch {
    throw new RangeError(`invalid node id ${JSON.stringify(String(id).slice(0, 40))}: digits only`);
  }
}
