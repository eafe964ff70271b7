import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { htmlToText } from '../src/html-to-text.js';
import {
  ALERT_KINDS,
  ALERT_SUBJECTS,
  type AlertKind,
  type AlertValues,
  composeAlertMail,
  loadMailTemplates,
  MailComposeError,
  type MailTemplates,
} from '../src/index.js';

const FROM = 'monitor@aktin.example';

const VALUES: AlertValues = {
  offline: { clinic_name: 'Klinikum Süd', last_contact: '03.02.2025' },
  'no-imports': { clinic_name: 'Klinikum Süd', last_write: '28.01.2025' },
  outdated: {
    clinic_name: 'Klinikum Süd',
    version_dwh: 'dwh-j2ee-1.5.1rc1',
    current_version_dwh: '1.6',
    current_version_i2b2: '1.5.3',
  },
  'recovered-offline': { clinic_name: 'Klinikum Süd', last_contact: '05.02.2025' },
  'recovered-imports': { clinic_name: 'Klinikum Süd', last_write: '06.02.2025' },
  anomaly: { clinic_name: 'Klinikum Süd', day: '07.02.2025', imports_today: '41', imports_usual: '390' },
};

function compose<K extends AlertKind>(
  kind: K,
  to: string[] = ['ed@klinik.example'],
  staticRecipients: string[] = [],
) {
  return composeAlertMail(kind, VALUES[kind], { from: FROM, to, staticRecipients });
}

/** The mail of a kind from the given templates (the Python version's folder or the shipped ones). */
function composeWithTemplates(kind: AlertKind, templates: MailTemplates) {
  return composeAlertMail(kind, VALUES[kind], { from: FROM, to: ['ed@klinik.example'], templates });
}

function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'mailer-templates-'));
}

describe('recipients', () => {
  it('puts static recipients in Cc unless already in To, ignoring case, duplicates and empty entries', () => {
    const mail = compose(
      'offline',
      ['ed@klinik.example', 'IT@klinik.example', 'ed@klinik.example'],
      ['it@klinik.example', 'team@aktin.example', ' ', 'TEAM@aktin.example', ''],
    );
    expect(mail.from).toBe(FROM);
    expect(mail.to).toEqual(['ed@klinik.example', 'IT@klinik.example']);
    expect(mail.cc).toEqual(['team@aktin.example']);
  });

  it('treats an empty static list or one empty string (the Python join of []) as no Cc', () => {
    expect(compose('offline', ['ed@klinik.example'], []).cc).toEqual([]);
    expect(compose('offline', ['ed@klinik.example'], ['']).cc).toEqual([]);
    expect(composeAlertMail('offline', VALUES.offline, { from: FROM, to: ['ed@klinik.example'] }).cc).toEqual(
      [],
    );
  });

  it('takes display names and several addresses in one entry apart', () => {
    const mail = compose(
      'offline',
      ['Dr. Muster <muster@klinik.example>; it@klinik.example'],
      ['team@aktin.example'],
    );
    expect(mail.to).toEqual(['muster@klinik.example', 'it@klinik.example']);
  });

  it('refuses a mail without recipient or with something that is not an address', () => {
    expect(() => compose('offline', [], ['team@aktin.example'])).toThrow(MailComposeError);
    expect(() => compose('offline', [''])).toThrow(/no recipient/);
    expect(() => compose('offline', ['Herr Muster'])).toThrow(MailComposeError);
  });
});

describe('shipped templates', () => {
  it.each(ALERT_KINDS)('%s: subject, clinic and values in the HTML and the plain text', (kind) => {
    const mail = compose(kind);
    expect(mail.kind).toBe(kind);
    expect(mail.subject).toBe(ALERT_SUBJECTS[kind]);
    expect(mail.html).toContain('<meta charset="utf-8">');
    expect(mail.html).toContain('Sehr geehrte Damen und Herren');
    for (const value of Object.values(VALUES[kind])) {
      expect(mail.html).toContain(value);
      expect(mail.text).toContain(value);
    }
    expect(mail.text).toContain('Mit freundlichen Grüßen');
    expect(mail.text).toContain('it-support@aktin.org');
    expect(mail.text).not.toMatch(/<|&[a-z]+;/);
  });

  it('uses the subjects of the Python version and the new recovery subjects', () => {
    expect(compose('offline').subject).toBe('Automatische Information: AKTIN DWH Offline');
    expect(compose('no-imports').subject).toBe('Automatische Information: AKTIN DWH Keine Imports');
    expect(compose('outdated').subject).toBe('Automatische Information: AKTIN DWH Version veraltet');
    expect(compose('recovered-offline').subject).toBe(
      'Automatische Information: AKTIN DWH wieder erreichbar',
    );
    expect(compose('recovered-imports').subject).toBe(
      'Automatische Information: AKTIN DWH Imports wieder aufgenommen',
    );
    expect(compose('anomaly').subject).toBe('Automatische Information: AKTIN DWH Importe auffällig niedrig');
  });

  it('keeps the content the clinics know', () => {
    expect(compose('offline').text).toContain('nicht mehr am AKTIN Broker gemeldet');
    expect(compose('offline').text).toContain('Firewall');
    expect(compose('no-imports').text).toContain('keine Fälle mehr übermittelt');
    expect(compose('no-imports').text).toContain('Nachversand');
    expect(compose('no-imports').text).toContain('CDA-Schnittstelle');
    expect(compose('outdated').text).toContain('sudo apt-get --only-upgrade install aktin-notaufnahme-dwh');
    expect(compose('outdated').text).toContain('sudo apt list aktin-notaufnahme-i2b2');
  });

  it('escapes hostile values in the HTML and shows them verbatim in the text', () => {
    const hostile = '<script>alert("x")</script> & Söhne';
    const mail = composeAlertMail(
      'offline',
      { clinic_name: hostile, last_contact: '<img src=x onerror=1>' },
      { from: FROM, to: ['ed@klinik.example'] },
    );
    expect(mail.html).not.toContain('<script>');
    expect(mail.html).not.toContain('<img');
    expect(mail.html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; Söhne');
    expect(mail.text).toContain(hostile);
  });

  it('names a missing value', () => {
    const values = { clinic_name: 'Klinikum Süd' } as unknown as AlertValues['offline'];
    expect(() => composeAlertMail('offline', values, { from: FROM, to: ['ed@klinik.example'] })).toThrow(
      /last_contact/,
    );
  });
});

describe('Python-era templates in templatesDir', () => {
  const legacy =
    '<html>\n<head><meta http-equiv="Content-Type" content="text/html; charset=iso-8859-1"></head>\n<body>\n' +
    `<p>Grüße an \${clinic_name}!</p>\n<p>Standort \${clinic_name}, zuletzt am \${last_contact}. Schöne Woche.</p>\n` +
    `<p>Unbekannt: \${nicht_da}</p>\n</body>\n</html>`;

  it('uses template_mail_offline.html (ISO-8859-1), replacing every placeholder with escaped values', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'template_mail_offline.html'), Buffer.from(legacy, 'latin1'));
    const templates = loadMailTemplates(dir);
    expect(templates.sources.offline).toBe(join(dir, 'template_mail_offline.html'));
    expect(templates.sources['no-imports']).toBe('shipped');

    const mail = composeAlertMail(
      'offline',
      { clinic_name: 'Klinikum <Süd> & Co', last_contact: '03.02.2025' },
      { from: FROM, to: ['ed@klinik.example'], templates },
    );
    expect(mail.subject).toBe('Automatische Information: AKTIN DWH Offline');
    expect(mail.html).toContain('<p>Grüße an Klinikum &lt;Süd&gt; &amp; Co!</p>');
    expect(mail.html).toContain(
      'Standort Klinikum &lt;Süd&gt; &amp; Co, zuletzt am 03.02.2025. Schöne Woche.',
    );
    expect(mail.html).not.toContain(`\${clinic_name}`);
    expect(mail.html).toContain(`\${nicht_da}`);
    expect(mail.html).toContain('charset=utf-8');
    expect(mail.html).not.toContain('iso-8859-1');
    expect(mail.text).toContain('Grüße an Klinikum <Süd> & Co!');

    // The other kinds still come from the shipped templates.
    const noImports = composeWithTemplates('no-imports', templates);
    expect(noImports.html).toContain('keine Fälle mehr übermittelt');
  });

  it('finds all three Python file names and never the recovery kinds', () => {
    const dir = tempDir();
    for (const file of [
      'template_mail_offline.html',
      'template_mail_no_imports.html',
      'template_mail_outdated_version.html',
    ]) {
      writeFileSync(join(dir, file), Buffer.from(`<p>${file} für \${clinic_name}</p>`, 'latin1'));
    }
    const templates = loadMailTemplates(dir);
    expect(templates.sources['recovered-offline']).toBe('shipped');
    expect(templates.sources['recovered-imports']).toBe('shipped');
    const outdated = composeWithTemplates('outdated', templates);
    expect(outdated.html).toBe('<p>template_mail_outdated_version.html für Klinikum Süd</p>');
    const noImports = composeWithTemplates('no-imports', templates);
    expect(noImports.html).toBe('<p>template_mail_no_imports.html für Klinikum Süd</p>');
  });

  it('reads a template the team saved as UTF-8 without garbling the umlauts', () => {
    const dir = tempDir();
    writeFileSync(
      join(dir, 'template_mail_offline.html'),
      Buffer.from(`<p>Grüße, \${clinic_name}</p>`, 'utf8'),
    );
    const mail = composeWithTemplates('offline', loadMailTemplates(dir));
    expect(mail.html).toBe('<p>Grüße, Klinikum Süd</p>');
  });

  it('falls back to the shipped templates for a folder without them or a missing folder', () => {
    expect(Object.values(loadMailTemplates(tempDir()).sources)).toEqual(ALERT_KINDS.map(() => 'shipped'));
    expect(loadMailTemplates(join(tempDir(), 'missing')).sources.offline).toBe('shipped');
  });
});

describe('htmlToText', () => {
  it('turns paragraphs into blocks, keeps link targets and decodes entities', () => {
    const html =
      '<html><head><title>T</title><style>p{}</style></head><body><p>Erste\n   Zeile<br>zweite</p>' +
      '<p><a href="mailto:a@b.example">a@b.example</a> und <a href="https://aktin.org">Webseite</a></p>' +
      '<ul><li>eins</li><li>zwei</li></ul><p>&auml;&#228;&#xE4; &lt;b&gt; &amp;lt;</p></body></html>';
    expect(htmlToText(html)).toBe(
      'Erste Zeile\nzweite\n\na@b.example und Webseite (https://aktin.org)\n\n- eins\n- zwei\n\näää <b> &lt;',
    );
  });
});
