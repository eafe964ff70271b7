import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BrokerEmulator, startBrokerEmulator } from '@broker-monitor/broker-emulator';
import {
  type ConfluenceEmulator,
  contactsPageBody,
  startConfluenceEmulator,
} from '@broker-monitor/confluence-emulator';
import { type SmtpTestServer, startSmtpTestServer } from '@broker-monitor/smtp-test-server';
import { testCertPath } from '@broker-monitor/test-certs';

/** A broker, a Confluence and an SMTP server, and one config in a fresh WORKING that all four apps accept. */
export interface AllAppsServers {
  broker: BrokerEmulator;
  confluence: ConfluenceEmulator;
  smtp: SmtpTestServer;
  dir: string;
  config: string;
  close(): Promise<void>;
}

export async function startAllAppsServers(options: {
  brokerKey: string;
  /** The node mapping JSON, keyed by node id. */
  mapping: Record<string, unknown>;
}): Promise<AllAppsServers> {
  const broker = await startBrokerEmulator({ adminKey: options.brokerKey });
  const confluence = await startConfluenceEmulator({ flavour: 'datacenter' });
  confluence.addPage({ title: 'Support' });
  confluence.addPage({ title: 'E-Mail-Verteiler', body: contactsPageBody([]) });
  const smtp = await startSmtpTestServer({ mode: 'implicit-tls', users: { monitor: 'p' } });
  const dir = await mkdtemp(join(tmpdir(), 'bm-all-apps-'));
  const config = join(dir, 'settings.toml');
  await writeFile(join(dir, 'mapping.json'), JSON.stringify(options.mapping));
  await writeFile(
    config,
    [
      `REQUESTS_CA_BUNDLE = "${testCertPath}"`,
      `[BROKER]\nURL = "${broker.url}"\nAPI_KEY = "${options.brokerKey}"`,
      `[DIR]\nWORKING = "${dir}"`,
      `[CONFLUENCE]\nURL = "${confluence.url}"\nSPACE = "AKTIN"\nTOKEN = "${confluence.token}"\nMAPPING_JSON = "${dir}/mapping.json"`,
      `[SMTP]\nSERVER = "${smtp.server}"\nUSERNAME = "monitor"\nPASSWORD = "p"`,
      `[AKTIN]\nDWH_VERSION = "1.5.1"\nI2B2_VERSION = "1.5.3"`,
      '',
    ].join('\n'),
  );
  return {
    broker,
    confluence,
    smtp,
    dir,
    config,
    close: async () => {
      await Promise.all([broker.close(), confluence.close(), smtp.close()]);
    },
  };
}
