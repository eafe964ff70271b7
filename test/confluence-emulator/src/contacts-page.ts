/** One row of the `E-Mail-Verteiler` page, the team's list of contacts per node. */
export interface ContactRow {
  nodeId: string;
  /** 'Ansprechpartner für': the emergency department or the hospital's IT. */
  role: 'Notaufnahme' | 'IT';
  title?: string;
  firstName: string;
  lastName: string;
  email: string;
  mainContact?: boolean;
  unsubscribed?: boolean;
}

export const contactColumns = [
  'Node ID',
  'Ansprechpartner für',
  'Titel',
  'Vorname',
  'Nachname',
  'Kontakt',
  'Hauptansprechpartner?',
  'Abgemeldet von Monitor-Benachrichtigungen?',
] as const;

/**
 * Storage-format body of an `E-Mail-Verteiler` page. The header row is made of `<th>` cells (as the
 * e-mail service expects) or of `<td>` cells (the form the reporter reads), so both can be seeded.
 * E-mail addresses are mailto links, as the Confluence editor turns typed addresses into links.
 */
export function contactsPageBody(
  rows: readonly ContactRow[],
  options: { headerCells?: 'th' | 'td' } = {},
): string {
  const cell = options.headerCells ?? 'th';
  const header = `<tr>${contactColumns.map((c) => `<${cell}>${escapeXml(c)}</${cell}>`).join('')}</tr>`;
  const body = rows
    .map((row) => {
      const cells = [
        escapeXml(row.nodeId),
        escapeXml(row.role),
        escapeXml(row.title ?? ''),
        escapeXml(row.firstName),
        escapeXml(row.lastName),
        `<a href="mailto:${escapeXml(row.email)}">${escapeXml(row.email)}</a>`,
        row.mainContact ? 'x' : '',
        row.unsubscribed ? 'x' : '',
      ];
      return `<tr>${cells.map((c) => `<td>${c}</td>`).join('')}</tr>`;
    })
    .join('');
  return `<p>Verteiler der Ansprechpartner je Standort</p><table class="wrapped"><tbody>${header}${body}</tbody></table>`;
}

function escapeXml(text: string): string {
  return text
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;');
}
