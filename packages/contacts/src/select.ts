import { CONTACT_COLUMNS, type Contact, ROLE_EMERGENCY_DEPARTMENT, ROLE_IT } from './contact.js';

/** A person shown on a node page. */
export interface ContactLink {
  /** `Titel Vorname Nachname`, trimmed. */
  readonly name: string;
  readonly email: string;
}

export interface PageContacts {
  /** `Notaufnahme` contacts (page class `contact_ed`). */
  readonly ed: ContactLink[];
  /** `IT` contacts (page class `contact_it`). */
  readonly it: ContactLink[];
}

/** Whether a contact row belongs to a node: Node ID and node id compared as numbers (`012` = `12`). */
export function isContactOf(contact: Contact, nodeId: string): boolean {
  const id = contact.nodeId.trim();
  return id !== '' && nodeId.trim() !== '' && Number(id) === Number(nodeId);
}

/**
 * The contacts shown on a node page: every contact of each type, in table order (main-contact
 * and unsubscribe columns do not matter here). Contacts with the same name collapse into one,
 * at the first one's place with the last one's address, as the original's name → e-mail dict.
 */
export function pageContacts(contacts: readonly Contact[], nodeId: string): PageContacts {
  return { ed: linksOf(contacts, nodeId, ROLE_EMERGENCY_DEPARTMENT), it: linksOf(contacts, nodeId, ROLE_IT) };
}

function linksOf(contacts: readonly Contact[], nodeId: string, role: string): ContactLink[] {
  const byName = new Map<string, string>();
  for (const contact of contacts) {
    if (contact.role !== role || !isContactOf(contact, nodeId)) continue;
    byName.set(`${contact.title} ${contact.firstName} ${contact.lastName}`.trim(), contact.email);
  }
  return [...byName].map(([name, email]) => ({ name, email }));
}

/** `local@domain` without blanks: what a mail server can be asked to deliver to. */
export function isMailAddress(text: string): boolean {
  return /^[^\s@<>,;]+@[^\s@<>,;]+$/.test(text);
}

/**
 * Who gets a node's alert mails: `Notaufnahme` main contacts that did not unsubscribe, then
 * all `IT` contacts that did not unsubscribe; each address once (compared ignoring case), in
 * that order; rows without an address, or with one that is not one (`name(at)klinik.de`), are left out.
 */
export function mailRecipients(contacts: readonly Contact[], nodeId: string): string[] {
  const recipients = new Map<string, string>();
  for (const { email } of contacts
    .filter((contact) => isContactOf(contact, nodeId) && whyNotRecipient(contact) === undefined)
    .sort(byRecipientOrder)) {
    const key = email.toLowerCase();
    if (!recipients.has(key)) recipients.set(key, email);
  }
  return [...recipients.values()];
}

/** Emergency-department main contacts first, then IT; table order within each. */
const byRecipientOrder = (a: Contact, b: Contact) => Number(a.role === ROLE_IT) - Number(b.role === ROLE_IT);

/**
 * Why a node has no mail recipient, for the warning: one reason per contact row of the node
 * (unsubscribed, not the main emergency-department contact, a role that is neither `Notaufnahme`
 * nor `IT` such as `Notfall`, no or no valid address), or that no row names the node.
 */
export function noRecipientReason(contacts: readonly Contact[], nodeId: string): string {
  const rows = contacts.filter((contact) => isContactOf(contact, nodeId));
  if (rows.length === 0) return `no contact has Node ID ${nodeId}`;
  const reasons = rows.map(
    (contact) => `${contactLabel(contact)}: ${whyNotRecipient(contact) ?? 'a recipient'}`,
  );
  const unsubscribed = rows.filter((contact) => contact.unsubscribed).length;
  const all = unsubscribed === rows.length ? `all ${rows.length} contacts unsubscribed; ` : '';
  return `${all}${reasons.join('; ')}`;
}

function whyNotRecipient(contact: Contact): string | undefined {
  if (contact.role !== ROLE_EMERGENCY_DEPARTMENT && contact.role !== ROLE_IT) {
    return `"${CONTACT_COLUMNS.role}" is ${JSON.stringify(contact.role)}, neither ${ROLE_EMERGENCY_DEPARTMENT} nor ${ROLE_IT}`;
  }
  // Any text unsubscribes, also "nein", as in the Python version.
  if (contact.unsubscribed) return `unsubscribed ("${CONTACT_COLUMNS.unsubscribed}" is not empty)`;
  if (contact.role === ROLE_EMERGENCY_DEPARTMENT && !contact.mainContact) {
    return `not the main contact ("${CONTACT_COLUMNS.mainContact}" is empty), and of the ${ROLE_EMERGENCY_DEPARTMENT} only main contacts are mailed`;
  }
  if (contact.email === '') return `no address in "${CONTACT_COLUMNS.email}"`;
  if (!isMailAddress(contact.email)) return `${JSON.stringify(contact.email)} is not an e-mail address`;
  return undefined;
}

function contactLabel(contact: Contact): string {
  const name = `${contact.title} ${contact.firstName} ${contact.lastName}`.trim().replace(/\s+/g, ' ');
  return `${name === '' ? 'a contact' : name} (${contact.role === '' ? 'no role' : contact.role})`;
}
