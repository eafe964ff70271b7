import { normaliseStorage } from '@broker-monitor/confluence-emulator';
import { describe, expect, it } from 'vitest';
import { renderNodePage } from '../src/node-page.js';
import { readStoredPage } from '../src/stored-page.js';
import { renderSummaryPage } from '../src/summary-page.js';
import { HOSTILE, HOSTILE_SHOWN } from './fields.js';
import { nodeView, summaryRow } from './views.js';

// The emulator parses bodies with a strict XML reader as Confluence does (HTTP 400 otherwise) and
// stores them in Confluence's own form, which is what the next run gets back.
let macroIds = 0;
const store = (body: string) => normaliseStorage(body, { newId: () => `id-${++macroIds}` });

describe('pages stored by Confluence', () => {
  const hostileView = nodeView({
    clinicName: HOSTILE,
    errors: [{ timestamp: '2024-05-01 00:00:00', repeats: '1', content: HOSTILE }],
    contacts: { ed: [{ name: HOSTILE, email: 'a&b@x.example' }], it: [] },
  });

  it('accepts every body we render', () => {
    expect(() => store(renderNodePage(hostileView))).not.toThrow();
    expect(() =>
      store(
        renderSummaryPage({
          rows: [summaryRow({ commonName: HOSTILE })],
          heatmap: { attachmentName: 'h.png', caption: HOSTILE },
        }),
      ),
    ).not.toThrow();
  });

  it('keeps start date and notes through store, edit, re-render and store again', () => {
    const created = store(renderNodePage(nodeView({ onlineSince: '2021-03-15' })));
    const notes = '<p>Ansprechpartner ab Mai: <strong>Frau Groß</strong> &amp; Team</p>';
    const edited = store(
      created.replace(/<td class="notes"( \/>|><\/td>)/, `<td class="notes">${notes}</td>`),
    );

    const next = store(renderNodePage(nodeView({ onlineSince: '2024-01-01' }), readStoredPage(edited)));

    const stored = readStoredPage(next);
    expect(stored.notes).toBe(notes);
    expect(stored.onlineSince?.date).toBe('2021-03-15');
    expect(stored.fields.get('clinic_name')).toBe(nodeView().clinicName);
  });

  it('reads back hostile text exactly as shown', () => {
    const stored = readStoredPage(store(renderNodePage(hostileView)));
    expect(stored.fields.get('clinic_name')).toBe(HOSTILE_SHOWN);
    expect(stored.fields.get('contact_ed')).toBe(`${HOSTILE_SHOWN}a&b@x.example`);
  });
});
