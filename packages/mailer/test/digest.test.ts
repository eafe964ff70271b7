import { describe, expect, it } from 'vitest';
import { composeDigestMail, type DigestValues, MailComposeError } from '../src/index.js';

const EMPTY_WEEK: DigestValues = {
  period: '03.03.2025 – 10.03.2025',
  counts: [],
  notOnline: [],
  changes: [],
  mails: [],
  silences: [],
  outdated: [],
  currentVersion: '1.5.1',
};

describe('composeDigestMail', () => {
  it('writes every section, escaped, in HTML and plain text', () => {
    const mail = composeDigestMail(
      {
        ...EMPTY_WEEK,
        counts: [{ status: 'OFFLINE', count: 1 }],
        notOnline: [{ node: '[1] Süd <Test>', status: 'OFFLINE', since: '07.03.2025' }],
        changes: [
          {
            node: '[1] Süd <Test>',
            changes: [
              { day: '05.03.2025', from: 'ONLINE', to: 'NO IMPORTS' },
              { day: '07.03.2025', from: 'NO IMPORTS', to: 'OFFLINE' },
            ],
          },
        ],
      },
      { from: 'monitor@aktin.example', to: ['it@aktin.example'], date: new Date('2025-03-10T07:00:00Z') },
    );
    expect(mail).toMatchObject({
      kind: 'digest',
      to: ['it@aktin.example'],
      cc: [],
      subject: 'Automatische Information: AKTIN Wochenbericht 03.03.2025 – 10.03.2025',
    });
    expect(mail.html).toContain('[1] Süd &lt;Test&gt;: OFFLINE seit 07.03.2025');
    expect(mail.text).toContain('- OFFLINE: 1');
    expect(mail.text).toContain(
      '- [1] Süd <Test>: 05.03.2025 ONLINE → NO IMPORTS; 07.03.2025 NO IMPORTS → OFFLINE',
    );
  });

  it('says so where a section is empty, never undefined', () => {
    const { text } = composeDigestMail(EMPTY_WEEK, { from: 'm@x.example', to: ['it@x.example'] });
    expect(text).toContain('- Alle Knoten sind ONLINE.');
    expect(text).toContain('- Kein Knoten hat seinen Status gewechselt.');
    expect(text).toContain('- Keine Wartungsfenster in dieser Woche.');
    expect(text).not.toMatch(/undefined|NaN/);
  });

  it('refuses a digest without recipients', () => {
    expect(() => composeDigestMail(EMPTY_WEEK, { from: 'm@x.example', to: [] })).toThrow(MailComposeError);
  });
});
