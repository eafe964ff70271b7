import { createConfluenceClient } from '@broker-monitor/confluence-client';
import type { ConfluenceEmulator } from '@broker-monitor/confluence-emulator';

/**
 * A person types `note` into the Notizen section of the page and saves, as a new version without
 * our hash in its message (Data Center, a personal access token).
 */
export async function writeNoteAsPerson(
  confluence: ConfluenceEmulator,
  title: string,
  note: string,
): Promise<void> {
  const person = createConfluenceClient({ url: confluence.url, token: confluence.token });
  const page = confluence.findPage(title);
  try {
    await person.updatePage({
      id: page?.id ?? '',
      title: page?.title ?? '',
      body: (page?.body ?? '').replace(
        /<td class="notes"\s*\/>|<td class="notes"><\/td>/,
        `<td class="notes">${note}</td>`,
      ),
      version: (page?.version ?? 0) + 1,
    });
  } finally {
    await person.close();
  }
}
