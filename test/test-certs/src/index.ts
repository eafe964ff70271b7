import { readFileSync } from 'node:fs';

const certsDir = new URL('../certs/', import.meta.url);

/** PEM private key of the loopback test certificate (CN=localhost, SAN localhost, 127.0.0.1, ::1). */
export const testKey: string = readFileSync(new URL('localhost.key', certsDir), 'utf8');

/** PEM certificate; self-signed, so it is also the CA a client must trust. */
export const testCert: string = readFileSync(new URL('localhost.crt', certsDir), 'utf8');

/** Path of the certificate file, for code that takes a CA bundle path (REQUESTS_CA_BUNDLE). */
export const testCertPath: string = new URL('localhost.crt', certsDir).pathname;

export { type LoopbackServer, serveOnLoopback } from './serve.js';
