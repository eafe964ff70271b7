import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseRawMail } from '@broker-monitor/smtp-test-server';
import { describe, expect, it } from 'vitest';
import { composeAlertMail, formatMailForDryRun, writeEml } from '../src/index.js';

const mail = composeAlertMail(
  'no-imports',
  { clinic_name: 'Universitätsklinikum Köln', last_write: '28.01.2025' },
  {
    from: 'monitor@aktin.example',
    to: ['ed@klinik.example', 'it@klinik.example'],
    staticRecipients: ['team@aktin.example'],
  },
);

describe('writeEml', () => {
  it('writes a parseable RFC 822 message with both bodies into a new folder', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'mailer-outbox-')), 'outbox');
    const path = await writeEml(mail, dir);

    expect(readdirSync(dir)).toEqual([path.slice(dir.length + 1)]);
    expect(path).toMatch(/\.eml$/);
    const raw = readFileSync(path);
    expect(raw.toString('latin1')).toContain('\r\n');
    const parsed = await parseRawMail(raw);
    expect(parsed.from).toEqual(['monitor@aktin.example']);
    expect(parsed.to).toEqual(['ed@klinik.example', 'it@klinik.example']);
    expect(parsed.cc).toEqual(['team@aktin.example']);
    expect(parsed.subject).toBe('Automatische Information: AKTIN DWH Keine Imports');
    expect(parsed.html).toBe(mail.html);
    expect(parsed.text.trim()).toBe(mail.text);
    expect(parsed.text).toContain('Universitätsklinikum Köln');
    expect(parsed.messageId).toBeDefined();
  });

  it('carries the Date the caller gives (the run clock)', async () => {
    const date = new Date('2025-02-03T06:30:00Z');
    const dated = composeAlertMail(
      'offline',
      { clinic_name: 'A', last_contact: '01.02.2025' },
      { from: 'monitor@aktin.example', to: ['ed@klinik.example'], date },
    );
    const parsed = await parseRawMail(
      readFileSync(await writeEml(dated, mkdtempSync(join(tmpdir(), 'mailer-')))),
    );
    expect(parsed.headerLines.find((header) => header.key === 'date')?.line).toBe(
      'Date: Mon, 03 Feb 2025 06:30:00 +0000',
    );
  });

  it('uses the file name it is given and keeps earlier files', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mailer-outbox-'));
    const first = await writeEml(mail, dir, { fileName: '1_NO_IMPORTS.eml' });
    const second = await writeEml(mail, dir);
    expect(first).toBe(join(dir, '1_NO_IMPORTS.eml'));
    expect(readdirSync(dir).sort()).toEqual([first, second].map((path) => path.slice(dir.length + 1)).sort());
  });
});

describe('formatMailForDryRun', () => {
  it('lists sender, recipients, subject and the plain text', () => {
    const printed = formatMailForDryRun(mail);
    const lines = printed.split('\n');
    expect(lines.slice(0, 4)).toEqual([
      'From:    monitor@aktin.example',
      'To:      ed@klinik.example, it@klinik.example',
      'Cc:      team@aktin.example',
      'Subject: Automatische Information: AKTIN DWH Keine Imports',
    ]);
    expect(printed).toContain(mail.text);
    expect(printed).not.toContain('<p>');
  });

  it('says when there is no Cc', () => {
    const alone = composeAlertMail(
      'offline',
      { clinic_name: 'A', last_contact: '01.01.2025' },
      { from: 'monitor@aktin.example', to: ['ed@klinik.example'], staticRecipients: [''] },
    );
    expect(formatMailForDryRun(alone)).toContain('Cc:      (none)');
  });
});
