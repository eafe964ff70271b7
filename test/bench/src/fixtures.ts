import type { BrokerEmulator } from '@broker-monitor/broker-emulator';
import {
  type ConfluenceEmulator,
  type ContactRow,
  contactsPageBody,
} from '@broker-monitor/confluence-emulator';

/** The admin key the broker emulator accepts; nothing secret, loopback only. */
export const BENCH_ADMIN_KEY = 'bench-admin-key';
/** The Confluence token the emulator accepts. */
export const BENCH_CONFLUENCE_TOKEN = 'bench-confluence-token';
export const BENCH_SPACE = 'AKTIN';
/** The Atlassian account of the Cloud runs (basic auth with the token). */
export const BENCH_CLOUD_EMAIL = 'monitor@aktin.example';

/** A node's name on its page and in the mapping. */
export function benchNodeName(id: number): string {
  return `[${id}] Klinikum Nummer ${id} – Zentrale Notaufnahme`;
}

const MINUTE = 60_000;

/**
 * Nodes 1…`nodes` as a DWH of the AKTIN network uploads them: import statistics with two recent
 * errors, and the four resources with the entries a real node sends.
 */
export function seedBroker(broker: BrokerEmulator, nodes: number, now: Date): void {
  for (let id = 1; id <= nodes; id++) {
    broker.addNode({ id, lastContact: new Date(now.getTime() - (id % 30) * MINUTE) });
    broker.uploadStats(id, {
      start: '2025-01-02T08:00:00+01:00',
      lastWrite: new Date(now.getTime() - (id % 90) * MINUTE).toISOString(),
      imported: 10_000 + id * 7,
      updated: 2_000 + id,
      invalid: id % 5,
      failed: id % 3,
      errors: [
        {
          timestamp: new Date(now.getTime() - 3 * 60 * MINUTE).toISOString(),
          repeats: 1 + (id % 4),
          content: `Fehler beim Import von Fall ${id}-1: <Validation> "Geburtsdatum fehlt"`,
        },
        {
          timestamp: new Date(now.getTime() - 26 * 60 * MINUTE).toISOString(),
          repeats: 1,
          content: `Fall ${id}-2: Aufnahmedatum liegt in der Zukunft; Import abgelehnt`,
        },
      ],
    });
    broker.uploadProperties(id, 'versions', {
      os: 'Ubuntu 22.04.4 LTS',
      kernel: '5.15.0-105-generic',
      java: 'Ubuntu/11.0.22',
      'j2ee-impl': '22.0.1.Final',
      apache2: '2.4.52',
      postgres: '14.11',
      'dwh-api': '1.4',
      'dwh-j2ee': `dwh-j2ee-1.5.${id % 2}`,
    });
    broker.uploadProperties(id, 'rscript', { 'r-base-core': '4.1.2', 'r-cran-tidyverse': '1.3.1' });
    broker.uploadProperties(id, 'python', { python3: '3.10.12', 'python3-pandas': '1.3.5' });
    broker.uploadProperties(id, 'import-scripts', { p21: '1.5', p22: '' });
  }
}

/** The `Support` page the parent is created under, and an `E-Mail-Verteiler` with a contact per node. */
export function seedConfluence(confluence: ConfluenceEmulator, nodes: number): void {
  confluence.addPage({ title: 'Support' });
  const rows: ContactRow[] = [];
  for (let id = 1; id <= nodes; id++) {
    rows.push({
      nodeId: String(id),
      role: id % 2 === 0 ? 'IT' : 'Notaufnahme',
      firstName: 'Petra',
      lastName: `Beispiel-${id}`,
      email: `kontakt-${id}@klinik.example`,
      mainContact: true,
    });
  }
  confluence.addPage({ title: 'E-Mail-Verteiler', body: contactsPageBody(rows) });
}
