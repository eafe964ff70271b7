/** Failures the emulator can inject, per node, per resource or on the node list / status. */
export type Fault =
  /** Answer with this HTTP status (and Jetty's error page). */
  | { kind: 'status'; status: number }
  /** 200 with a complete response whose XML is not well-formed. */
  | { kind: 'malformed' }
  /**
   * `connection` (default): send the headers with the full Content-Length, half the body, then
   * cut the connection. `document`: a complete response whose document stops half-way.
   */
  | { kind: 'truncated'; mode?: 'connection' | 'document' }
  /** Wait this long before handling the request normally. */
  | { kind: 'delay'; ms: number }
  /** Destroy the connection without any response. */
  | { kind: 'reset' }
  /** 200 with a "billion laughs" entity declaration body. */
  | { kind: 'entity-bomb' }
  /** 200 with a body of this many bytes; `chunked` sends it without Content-Length. */
  | { kind: 'oversized'; bytes: number; chunked?: boolean }
  /** Node list only: append nodes with these ids (e.g. `../x`, `1/2`). */
  | { kind: 'hostile-ids'; ids: readonly string[] };

export type FaultKind = Fault['kind'];

/** Where a fault applies: a node (all its endpoints, or one resource), the node list, the status. */
export type FaultTarget = { nodeId: number; resource?: string } | 'node-list' | 'status';

export interface ActiveFault {
  target: FaultTarget;
  fault: Fault;
  /** Requests left that this fault answers; Infinity = until cleared. */
  remaining: number;
}

export type RequestTarget =
  | { endpoint: 'status' }
  | { endpoint: 'node-list' }
  | { endpoint: 'node'; nodeId: number; resource?: string };

export function faultMatches(target: FaultTarget, request: RequestTarget): boolean {
  if (target === 'status' || target === 'node-list') return request.endpoint === target;
  if (request.endpoint !== 'node' || request.nodeId !== target.nodeId) return false;
  return target.resource === undefined || target.resource === request.resource;
}

/** Takes the first matching fault with requests left and counts one use of it. */
export function takeFault(faults: ActiveFault[], request: RequestTarget): Fault | undefined {
  const active = faults.find((f) => f.remaining > 0 && faultMatches(f.target, request));
  if (active === undefined) return undefined;
  active.remaining -= 1;
  return active.fault;
}
