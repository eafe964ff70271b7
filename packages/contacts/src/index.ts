export {
  CONTACT_COLUMNS,
  type Contact,
  cellText,
  ROLE_EMERGENCY_DEPARTMENT,
  ROLE_IT,
} from './contact.js';
export { parseContactsCsv } from './csv.js';
export { ContactsFormatError } from './errors.js';
export { readContactsFile } from './file.js';
export { CONTACTS_PAGE_TITLE, parseContactsPage } from './page.js';
export {
  type ContactLink,
  isContactOf,
  isMailAddress,
  mailRecipients,
  noRecipientReason,
  type PageContacts,
  pageContacts,
} from './select.js';
export { type ContactsPageFinder, type ContactsSources, type ContactsTable, readContacts } from './source.js';
