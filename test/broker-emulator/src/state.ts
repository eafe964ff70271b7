/**
 * The broker's data as NodeInfoEndpoint sees it: nodes (with last contact) and the resources
 * each node uploaded (bytes verbatim, media type, last-modified set on every upload, digests).
 * Time never comes from the system clock: tests move it with `setNow`.
 */
import { createHash } from 'node:crypto';
import {
  type ImportStatisticsFormat,
  type ImportStatisticsInput,
  importStatisticsXml,
  propertiesXml,
} from './documents.js';

export interface StoredResource {
  readonly body: Buffer;
  /** Media type as JAX-RS stores it (`MediaType.toString()`: no blanks around `;`). */
  readonly contentType: string;
  readonly lastModified: Date;
  readonly sha256: Buffer;
  readonly md5: Buffer;
}

export interface EmulatedNode {
  readonly id: number;
  clientDN: string;
  /** A `Date` is written as `Instant.toString()`, a string verbatim; undefined leaves the element out. */
  lastContact: Date | string | undefined;
  websocket: boolean;
  modules: Array<[string, string]>;
  readonly resources: Map<string, StoredResource>;
}

export interface NodeInput {
  id?: number;
  clientDN?: string;
  lastContact?: Date | string;
  websocket?: boolean;
  modules?: Readonly<Record<string, string>>;
}

/** What `PUT /broker/my/node/{resource}` sends by default (BrokerClient2). */
export const DEFAULT_RESOURCE_TYPE = 'application/xml;charset=utf-8';

export function normalizeMediaType(value: string): string {
  return value
    .split(';')
    .map((part) => part.trim())
    .filter((part) => part !== '')
    .join(';');
}

export class BrokerState {
  readonly nodes = new Map<number, EmulatedNode>();
  #now: Date;

  constructor(now: Date) {
    this.#now = new Date(now.getTime());
  }

  now(): Date {
    return new Date(this.#now.getTime());
  }

  setNow(date: Date): void {
    this.#now = new Date(date.getTime());
  }

  addNode(input: NodeInput = {}): EmulatedNode {
    const id = input.id ?? this.#nextId();
    if (!Number.isInteger(id) || id < 0)
      throw new RangeError(`node id must be a non-negative integer: ${id}`);
    if (this.nodes.has(id)) throw new Error(`node ${id} exists already`);
    const node: EmulatedNode = {
      id,
      clientDN: input.clientDN ?? `CN=Node ${id},O=AKTIN Test,L=Emulator`,
      lastContact: input.lastContact,
      websocket: input.websocket ?? false,
      modules: Object.entries(input.modules ?? {}),
      resources: new Map(),
    };
    this.nodes.set(id, node);
    return node;
  }

  node(id: number): EmulatedNode {
    const node = this.nodes.get(id);
    if (node === undefined) throw new Error(`no node ${id}`);
    return node;
  }

  /** The node talked to the broker now (what every authenticated node request does). */
  contact(id: number): void {
    this.node(id).lastContact = this.now();
  }

  /** Stores a resource as the broker does on every upload: new last-modified even if unchanged. */
  upload(id: number, resource: string, body: string | Uint8Array, contentType = DEFAULT_RESOURCE_TYPE): void {
    const bytes = typeof body === 'string' ? Buffer.from(body, 'utf8') : Buffer.from(body);
    this.node(id).resources.set(resource, {
      body: bytes,
      contentType: normalizeMediaType(contentType),
      lastModified: this.now(),
      sha256: createHash('sha256').update(bytes).digest(),
      md5: createHash('md5').update(bytes).digest(),
    });
  }

  uploadStats(id: number, stats: ImportStatisticsInput | string, format?: ImportStatisticsFormat): void {
    this.upload(id, 'stats', typeof stats === 'string' ? stats : importStatisticsXml(stats, format));
  }

  uploadProperties(
    id: number,
    resource: string,
    entries: Iterable<readonly [string, string]> | Readonly<Record<string, string>>,
  ): void {
    this.upload(id, resource, propertiesXml(entries, resource));
  }

  deleteResource(id: number, resource: string): void {
    this.node(id).resources.delete(resource);
  }

  #nextId(): number {
    // The broker's HSQL identity column starts at 0.
    let max = -1;
    for (const id of this.nodes.keys()) max = Math.max(max, id);
    return max + 1;
  }
}
