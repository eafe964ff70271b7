export { BodyTooLargeError, type CollectedResponse, type CollectOptions } from './collect-response.js';
export { type ConnectionPool, createConnectionPool } from './connection-pool.js';
export { createLimiter, type Limiter } from './limiter.js';
export { HttpResponseError } from './response-parser.js';
export { type Attempt, backoffDelayMs, type RetryOptions, withRetries } from './retry.js';
