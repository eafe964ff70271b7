import { type Contact, ROLE_EMERGENCY_DEPARTMENT, ROLE_IT } from './contact.js';

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

/**
 * Who gets a node's alert mails: `Notaufnahme` main contacts that did not unsubscribe, then
 * all `IT` contacts that did not unsubscribe; each address once (compared ignoring case), in
 * that order; rows without an address are left out.
 */
export function mailRecipients(contacts: readonly Contact[], nodeId: string): string[] {
  const ofNode = contacts.filter((contact) => isContactOf(contact, nodeId) && !contact.unsubscribed);
  const ed = ofNode.filter((contact) => contact.role === ROLE_EMERGENCY_DEPARTMENT && contact.mainContact);
  const it = ofNode.filter((contact) => contact.role === ROLE_IT);
  const recipients = new Map<string, string>();
  for (const { email } of [...ed, ...it]) {
    const key = email.toLowerCase();
    if (email !== '' && !recipients.has(key)) recipients.set(key, email);
  }
  return [...recipients.values()];
}
