import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type AppName, ConfigError, loadConfig, loadMetricsSettings } from '../src/index.js';

const pythonEra = new URL('fixtures/python-era-settings.toml', import.meta.url).pathname;
const noEnv = { env: {} };

async function tomlFile(content: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'bm-config-'));
  const file = join(dir, 'settings.toml');
  await writeFile(file, content);
  return file;
}

/** An e-mail service config that reads its contacts from a file, so it needs no Confluence server. */
function mailServiceToml({ smtpSection = 'SMTP', server = 'mail', smtpExtra = '' } = {}): string {
  return `[DIR]
WORKING = "/w"
CONTACTS = "/w/contacts.csv"
[CONFLUENCE]
MAPPING_JSON = "/m"
[${smtpSection}]
SERVER = "${server}"
USERNAME = "u"
PASSWORD = "p"
${smtpExtra}[AKTIN]
DWH_VERSION = "1.5"
I2B2_VERSION = "1.5"
`;
}

async function configError(promise: Promise<unknown>): Promise<ConfigError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ConfigError);
  return error as ConfigError;
}

describe('loadConfig', () => {
  it.each<AppName>(['node-to-csv', 'csv-to-confluence', 'email-service', 'file-backup-service'])(
    'loads the Python-era config unchanged for %s',
    async (app) => {
      const config = await loadConfig(pythonEra, app, noEnv);
      expect(config.file).toBe(pythonEra);
      expect(config.warnings).toEqual([]);
      expect(config.dir.working).toBe('/opt/broker-monitor/working');
    },
  );

  it('maps the keys and applies the defaults of SPEC §6', async () => {
    const collector = await loadConfig(pythonEra, 'node-to-csv', noEnv);
    expect(collector.broker).toEqual({
      url: 'CHANGEME',
      apiKey: 'CHANGEME',
      concurrency: 16,
      timeoutSeconds: 10,
    });
    const mail = await loadConfig(pythonEra, 'email-service', noEnv);
    expect(mail.confluence).toEqual({
      url: 'CHANGEME',
      space: 'CHANGEME',
      token: 'CHANGEME',
      mappingJson: '/opt/broker-monitor/mapping.json',
      concurrency: 8,
      timeoutSeconds: 30,
    });
    expect(mail.smtp).toEqual({
      server: 'CHANGEME',
      username: 'CHANGEME',
      password: 'CHANGEME',
      staticRecipients: [],
      startTls: false,
      tlsVerify: true,
      recoveryMails: false,
      anomalyMails: false,
    });
    expect(mail.aktin).toEqual({ dwhVersion: '1.5.1rc1', i2b2Version: '1.5.3' });
    expect('smtp' in collector).toBe(false);
  });

  it('reads the optional keys', async () => {
    const file = await tomlFile(`REQUESTS_CA_BUNDLE = "${pythonEra}"
[BROKER]
URL = "https://broker"
API_KEY = "k"
CONCURRENCY = 4
TIMEOUT_SECONDS = 2.5
[DIR]
WORKING = "/w"
CONTACTS = "/w/contacts.csv"
[SMTP]
SERVER = "mail:587"
USERNAME = "u"
PASSWORD = "p"
STATIC_RECIPIENTS = ["a@x.de", "b@x.de"]
STARTTLS = true
TLS_VERIFY = false
RECOVERY_MAILS = true
ANOMALY_MAILS = true
[CONFLUENCE]
MAPPING_JSON = "/m.json"
EMAIL = "it@aktin.org"
URL = "https://x.atlassian.net"
SPACE = "S"
TOKEN = "t"
[AKTIN]
DWH_VERSION = "1.6"
I2B2_VERSION = "1.5.3"
`);
    const collector = await loadConfig(file, 'node-to-csv', noEnv);
    expect(collector.broker.concurrency).toBe(4);
    expect(collector.broker.timeoutSeconds).toBe(2.5);
    expect(collector.requestsCaBundle).toBe(pythonEra);
    const mail = await loadConfig(file, 'email-service', noEnv);
    expect(mail.dir.contacts).toBe('/w/contacts.csv');
    expect(mail.smtp).toMatchObject({
      startTls: true,
      tlsVerify: false,
      recoveryMails: true,
      anomalyMails: true,
    });
    expect(mail.smtp.staticRecipients).toEqual(['a@x.de', 'b@x.de']);
    expect(mail.confluence.email).toBe('it@aktin.org');
  });

  it('loads an app-specific subset without the other sections', async () => {
    const file = await tomlFile('[BROKER]\nURL = "http://b"\nAPI_KEY = "k"\n[DIR]\nWORKING = "/w"\n');
    await expect(loadConfig(file, 'node-to-csv', noEnv)).resolves.toMatchObject({
      broker: { url: 'http://b' },
    });
    const error = await configError(loadConfig(file, 'csv-to-confluence', noEnv));
    expect(error.issues.map((i) => i.path)).toEqual(['CONFLUENCE.MAPPING_JSON']);
  });

  it('does not look at sections the app does not need', async () => {
    const file = await tomlFile(
      '[BROKER]\nURL = "http://b"\nAPI_KEY = "k"\n[DIR]\nWORKING = "/w"\n[SMTP]\nSERVER = 25\n',
    );
    await expect(loadConfig(file, 'node-to-csv', noEnv)).resolves.toBeDefined();
  });

  it('reports a missing file', async () => {
    const error = await configError(loadConfig('/nonexistent/settings.toml', 'node-to-csv', noEnv));
    expect(error.message).toContain('/nonexistent/settings.toml');
    expect(error.message).toContain('file not found');
  });

  it('names line and column of a TOML syntax error', async () => {
    const file = await tomlFile('[BROKER]\nURL = "http://b"\nAPI_KEY = = "k"\n');
    const error = await configError(loadConfig(file, 'node-to-csv', noEnv));
    expect(error.message).toContain(file);
    expect(error.message).toMatch(/line 3, column \d+/);
  });

  it('reports several missing keys together, naming file and key paths', async () => {
    const file = await tomlFile('[DIR]\nRESOURCES = "/r"\n');
    const error = await configError(loadConfig(file, 'email-service', noEnv));
    expect(error.issues.map((i) => i.path).sort()).toEqual(
      [
        'AKTIN.DWH_VERSION',
        'AKTIN.I2B2_VERSION',
        'CONFLUENCE.MAPPING_JSON',
        'CONFLUENCE.SPACE',
        'CONFLUENCE.TOKEN',
        'CONFLUENCE.URL',
        'DIR.WORKING',
        'SMTP.PASSWORD',
        'SMTP.SERVER',
        'SMTP.USERNAME',
      ].sort(),
    );
    expect(error.message).toContain(file);
    expect(error.message).toContain('SMTP.PASSWORD: missing');
  });

  it('reports wrong types with what was expected and found, never a secret value', async () => {
    const file = await tomlFile(`[BROKER]
URL = 5
API_KEY = ["super-secret-key"]
CONCURRENCY = 0
[DIR]
WORKING = "/w"
`);
    const error = await configError(loadConfig(file, 'node-to-csv', noEnv));
    expect(error.issues).toEqual([
      { path: 'BROKER.URL', message: 'expected a string, found 5 (number)' },
      { path: 'BROKER.API_KEY', message: 'expected a string, found a list' },
      { path: 'BROKER.CONCURRENCY', message: 'expected a whole number ≥ 1, found 0 (number)' },
    ]);
    expect(error.message).not.toContain('super-secret-key');
  });

  it('treats an empty string as absent: no CONFLUENCE.URL means the local report', async () => {
    const file = await tomlFile(
      '[DIR]\nWORKING = "/w"\n[CONFLUENCE]\nURL = ""\nSPACE = ""\nTOKEN = ""\nMAPPING_JSON = "/m"\n',
    );
    const config = await loadConfig(file, 'csv-to-confluence', noEnv);
    expect(config.confluence.url).toBeUndefined();
    const backup = await configError(loadConfig(file, 'file-backup-service', noEnv));
    expect(backup.issues.map((i) => i.path)).toEqual([
      'CONFLUENCE.URL',
      'CONFLUENCE.SPACE',
      'CONFLUENCE.TOKEN',
    ]);
  });

  it('needs no Confluence server for the e-mail service when DIR.CONTACTS is set', async () => {
    const file = await tomlFile(mailServiceToml({ smtpExtra: 'STATIC_RECIPIENTS = []\n' }));
    const config = await loadConfig(file, 'email-service', noEnv);
    expect(config.confluence.url).toBeUndefined();
  });

  it('takes secrets and other keys from BROKER_MONITOR_* variables, which win over the file', async () => {
    const config = await loadConfig(pythonEra, 'email-service', {
      env: {
        BROKER_MONITOR_SMTP_PASSWORD: 'from-env',
        BROKER_MONITOR_SMTP_STATIC_RECIPIENTS: 'a@x.de, b@x.de',
        BROKER_MONITOR_SMTP_STARTTLS: 'true',
        BROKER_MONITOR_CONFLUENCE_CONCURRENCY: '3',
        BROKER_MONITOR_DIR_WORKING: '/env/working',
      },
    });
    expect(config.smtp.password).toBe('from-env');
    expect(config.smtp.staticRecipients).toEqual(['a@x.de', 'b@x.de']);
    expect(config.smtp.startTls).toBe(true);
    expect(config.confluence.concurrency).toBe(3);
    expect(config.dir.working).toBe('/env/working');
  });

  it('fills a missing key from the environment and names the variable of a bad value', async () => {
    const file = await tomlFile('[DIR]\nWORKING = "/w"\n[BROKER]\nURL = "http://b"\n');
    const config = await loadConfig(file, 'node-to-csv', { env: { BROKER_MONITOR_BROKER_API_KEY: 'k' } });
    expect(config.broker.apiKey).toBe('k');
    const error = await configError(
      loadConfig(file, 'node-to-csv', {
        env: { BROKER_MONITOR_BROKER_API_KEY: 'k', BROKER_MONITOR_BROKER_CONCURRENCY: 'many' },
      }),
    );
    expect(error.message).toContain('BROKER.CONCURRENCY');
    expect(error.message).toContain('BROKER_MONITOR_BROKER_CONCURRENCY');
  });

  it('checks that REQUESTS_CA_BUNDLE exists', async () => {
    const file = await tomlFile(
      'REQUESTS_CA_BUNDLE = "/nonexistent/ca.pem"\n[BROKER]\nURL = "http://b"\nAPI_KEY = "k"\n[DIR]\nWORKING = "/w"\n',
    );
    const error = await configError(loadConfig(file, 'node-to-csv', noEnv));
    expect(error.issues).toEqual([
      { path: 'REQUESTS_CA_BUNDLE', message: 'file /nonexistent/ca.pem not found or not readable' },
    ]);
  });

  it('warns about unknown keys in the sections it reads', async () => {
    const file = await tomlFile(
      '[BROKER]\nURL = "http://b"\nAPI_KEY = "k"\nURLL = "x"\n[DIR]\nWORKING = "/w"\n[EXTRA]\n',
    );
    const config = await loadConfig(file, 'node-to-csv', noEnv);
    expect(config.warnings).toEqual([
      `unknown section [EXTRA] in ${file} (ignored)`,
      `unknown key BROKER.URLL in ${file} (ignored)`,
    ]);
  });

  it('names the mistyped section when the keys it holds are missing', async () => {
    const file = await tomlFile(mailServiceToml({ smtpSection: 'SMPT' }));
    const error = await configError(loadConfig(file, 'email-service', noEnv));
    expect(error.issues.map((i) => i.path)).toEqual(['SMTP.SERVER', 'SMTP.USERNAME', 'SMTP.PASSWORD']);
    expect(error.message).toContain(
      `  warning: unknown section [SMPT] in ${file} (ignored; did you mean [SMTP]?)`,
    );
  });

  describe('server addresses', () => {
    const collectorConfig = (url: string) =>
      tomlFile(`[BROKER]\nURL = ${JSON.stringify(url)}\nAPI_KEY = "k"\n[DIR]\nWORKING = "/w"\n`);

    it.each(['not a url', 'broker.example.org', 'ftp://broker.example.org'])(
      'refuses BROKER.URL %j, naming the key',
      async (url) => {
        const error = await configError(loadConfig(await collectorConfig(url), 'node-to-csv', noEnv));
        expect(error.issues).toEqual([
          {
            path: 'BROKER.URL',
            message: `expected an http(s) URL such as https://server.example.org, found ${JSON.stringify(url)}`,
          },
        ]);
      },
    );

    it('refuses credentials inside BROKER.URL and CONFLUENCE.URL without showing them', async () => {
      const broker = await configError(
        loadConfig(await collectorConfig('http://u:pass-123@broker.example.org'), 'node-to-csv', noEnv),
      );
      expect(broker.issues).toEqual([
        {
          path: 'BROKER.URL',
          message: 'must not contain a user name or password; put them in BROKER.API_KEY',
        },
      ]);
      const file = await tomlFile(
        '[DIR]\nWORKING = "/w"\n[CONFLUENCE]\nURL = "https://me:pass-123@wiki"\nSPACE = "S"\nTOKEN = "t"\nMAPPING_JSON = "/m"\n',
      );
      const confluence = await configError(loadConfig(file, 'csv-to-confluence', noEnv));
      expect(confluence.issues.map((i) => i.path)).toEqual(['CONFLUENCE.URL']);
      expect(broker.message + confluence.message).not.toContain('pass-123');
    });

    it('refuses an SMTP.SERVER that is not host or host:port, or carries credentials, also from the environment', async () => {
      const file = await tomlFile(mailServiceToml({ server: 'smtp://mail.example.org' }));
      const scheme = await configError(loadConfig(file, 'email-service', noEnv));
      expect(scheme.issues).toEqual([
        {
          path: 'SMTP.SERVER',
          message: 'expected host or host:port such as mail.example.org:465, found "smtp://mail.example.org"',
        },
      ]);
      const fromEnv = await configError(
        loadConfig(file, 'email-service', { env: { BROKER_MONITOR_SMTP_SERVER: 'u:pass-123@mail:465' } }),
      );
      expect(fromEnv.issues).toEqual([
        {
          path: 'SMTP.SERVER',
          message:
            'must not contain a user name or password; put them in SMTP.USERNAME and SMTP.PASSWORD (from BROKER_MONITOR_SMTP_SERVER)',
        },
      ]);
      const badPort = await configError(
        loadConfig(file, 'email-service', { env: { BROKER_MONITOR_SMTP_SERVER: 'mail:99999' } }),
      );
      expect(badPort.issues.map((i) => i.path)).toEqual(['SMTP.SERVER']);
    });

    it('accepts host, host:port, [v6]:port and http(s) URLs with a path', async () => {
      for (const url of ['https://broker.example.org/', 'http://10.0.0.5:8080/aktin']) {
        await expect(loadConfig(await collectorConfig(url), 'node-to-csv', noEnv)).resolves.toBeDefined();
      }
      const file = await tomlFile(
        '[DIR]\nWORKING = "/w"\nCONTACTS = "/c"\n[CONFLUENCE]\nMAPPING_JSON = "/m"\n[SMTP]\nSERVER = "mail"\nUSERNAME = "u"\nPASSWORD = "p"\n[AKTIN]\nDWH_VERSION = "1"\nI2B2_VERSION = "1"\n',
      );
      for (const server of ['mail.example.org', 'mail:587', '[::1]:465', '127.0.0.1']) {
        await expect(
          loadConfig(file, 'email-service', { env: { BROKER_MONITOR_SMTP_SERVER: server } }),
        ).resolves.toMatchObject({ smtp: { server } });
      }
    });
  });
});

describe('[METRICS]', () => {
  const collectorKeys = '[BROKER]\nURL = "http://b"\nAPI_KEY = "k"\n[DIR]\nWORKING = "/w"\n';

  it.each<AppName>(['node-to-csv', 'csv-to-confluence', 'email-service', 'file-backup-service'])(
    'is optional for %s: unset means no metrics',
    async (app) => {
      const config = await loadConfig(pythonEra, app, noEnv);
      expect(config.metrics).toEqual({});
    },
  );

  it('reads TEXTFILE_DIR, from the file or BROKER_MONITOR_METRICS_TEXTFILE_DIR', async () => {
    const file = await tomlFile(
      `${collectorKeys}[METRICS]\nTEXTFILE_DIR = "/var/lib/node_exporter/textfile"\n`,
    );
    expect((await loadConfig(file, 'node-to-csv', noEnv)).metrics).toEqual({
      textfileDir: '/var/lib/node_exporter/textfile',
    });
    const env = { env: { BROKER_MONITOR_METRICS_TEXTFILE_DIR: '/elsewhere' } };
    expect((await loadConfig(file, 'node-to-csv', env)).metrics.textfileDir).toBe('/elsewhere');
    expect(await loadMetricsSettings(file, env)).toEqual({ textfileDir: '/elsewhere' });
  });

  it('rejects a TEXTFILE_DIR that is not a string and warns about unknown keys in it', async () => {
    const wrong = await tomlFile(`${collectorKeys}[METRICS]\nTEXTFILE_DIR = 3\n`);
    const error = await configError(loadConfig(wrong, 'node-to-csv', noEnv));
    expect(error.issues).toEqual([
      { path: 'METRICS.TEXTFILE_DIR', message: 'expected a string, found 3 (number)' },
    ]);
    const unknown = await tomlFile(`${collectorKeys}[METRICS]\nTEXTFILE = "/t"\n`);
    const config = await loadConfig(unknown, 'node-to-csv', noEnv);
    expect(config.warnings).toEqual([`unknown key METRICS.TEXTFILE in ${unknown} (ignored)`]);
  });

  it('is read alone even when the rest of the config is unusable', async () => {
    const broken = await tomlFile('[METRICS]\nTEXTFILE_DIR = "/t"\n[BROKER]\nURL = 1\n');
    await configError(loadConfig(broken, 'node-to-csv', noEnv));
    expect(await loadMetricsSettings(broken, noEnv)).toEqual({ textfileDir: '/t' });
    expect(await loadMetricsSettings('/nonexistent/settings.toml', noEnv)).toEqual({});
    const notToml = await tomlFile('[METRICS\n');
    expect(await loadMetricsSettings(notToml, noEnv)).toEqual({});
  });

  it('gives the collector the mapping that names its nodes, ignoring a wrong value', async () => {
    const named = await tomlFile(`${collectorKeys}[CONFLUENCE]\nMAPPING_JSON = "/m.json"\nURL = 3\n`);
    const config = await loadConfig(named, 'node-to-csv', noEnv);
    expect(config.confluence).toEqual({ mappingJson: '/m.json' });
    expect(config.warnings).toEqual([]);
    const wrong = await tomlFile(`${collectorKeys}[CONFLUENCE]\nMAPPING_JSON = 3\n`);
    const ignored = await loadConfig(wrong, 'node-to-csv', noEnv);
    expect(ignored.confluence).toBeUndefined();
    expect(ignored.warnings).toEqual([
      'CONFLUENCE.MAPPING_JSON: expected a string, found 3 (number) (ignored)',
    ]);
  });
});
