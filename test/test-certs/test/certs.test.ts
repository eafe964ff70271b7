import { X509Certificate } from 'node:crypto';
import { expect, it } from 'vitest';
import { testCert, testCertPath, testKey } from '../src/index.js';

it('is a certificate for localhost and 127.0.0.1 that matches its key', () => {
  const cert = new X509Certificate(testCert);
  expect(cert.checkHost('localhost')).toBe('localhost');
  expect(cert.checkIP('127.0.0.1')).toBe('127.0.0.1');
  expect(testKey).toContain('PRIVATE KEY');
  expect(testCertPath.endsWith('localhost.crt')).toBe(true);
});
