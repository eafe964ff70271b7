/*
 * Convergence: after its last clean run a world's store and Confluence space equal those of the
 * reference world, which ran the same timeline without faults.
 *
 * Ignored everywhere: `ac:macro-id` attributes (random ids the Confluence emulator adds when it
 * stores a body, not our output) and temporary `.tmp` files (checked separately).
 * Ignored only for the SIGKILL world, whose last day runs the real bins on the system clock: the
 * run time written that day (see `runTimeMask`).
 */
import { createHash } from 'node:crypto';
import { readTree } from './invariants.js';
import { holds } from './tally.js';
import type { World } from './world.js';

/** How one side's texts are compared: by default verbatim. */
export interface Mask {
  file(path: string, text: string): string;
  body(text: string): string;
}

const VERBATIM: Mask = { file: (_path, text) => text, body: (text) => text };

const withoutMacroIds = (body: string) => body.replace(/ ac:macro-id="[^"]*"/g, '');

/**
 * The store and Confluence of `world` equal the reference's: same files with the same bytes,
 * same pages (title, parent, body, our version-message hash when `hashes`) with the same
 * attachments (latest content).
 */
export async function checkConverged(
  world: World,
  reference: World,
  options: {
    mask?: Mask;
    referenceMask?: Mask;
    hashes?: boolean;
    /** Files left out of the comparison on both sides (known leftovers of killed runs). */
    ignore?: (path: string) => boolean;
  } = {},
): Promise<void> {
  const mask = options.mask ?? VERBATIM;
  const referenceMask = options.referenceMask ?? VERBATIM;
  const ignore = options.ignore ?? (() => false);
  const tree = async (w: World) =>
    new Map([...(await readTree(w.working))].filter(([path]) => !ignore(path)));
  const [mine, theirs] = await Promise.all([tree(world), tree(reference)]);
  holdsSameKeys(mine, theirs, world.name, 'file');
  for (const [path, text] of theirs) {
    holds(
      mask.file(path, mine.get(path) ?? ''),
      referenceMask.file(path, text),
      `${world.name}: ${path} equals the reference's (after a clean run)`,
    );
  }

  const view = (w: World, m: Mask) =>
    new Map(
      w.confluence.pages().map((page) => {
        const attachments = Object.fromEntries(
          w.confluence
            .attachments(page.id)
            .map((a) => {
              const text = /(csv|txt|log)$/.test(a.fileName)
                ? m.file(a.fileName, a.content.toString('latin1'))
                : createHash('sha256').update(a.content).digest('hex');
              return [a.fileName, `${a.mediaType} ${text}`] as const;
            })
            .sort(([a], [b]) => a.localeCompare(b)),
        );
        return [
          page.title,
          {
            parent: page.parentId === undefined ? undefined : w.confluence.page(page.parentId)?.title,
            body: m.body(withoutMacroIds(page.body)),
            ...(options.hashes ? { hash: page.versionMessage } : {}),
            attachments,
          },
        ] as const;
      }),
    );
  const pages = view(world, mask);
  const referencePages = view(reference, referenceMask);
  holdsSameKeys(pages, referencePages, world.name, 'page');
  for (const [title, page] of referencePages) {
    holds(pages.get(title), page, `${world.name}: page "${title}" equals the reference's`);
  }
}

/** Two invariants: the world has no file (page) the reference lacks, and lacks none it has. */
function holdsSameKeys(
  mine: ReadonlyMap<string, unknown>,
  theirs: ReadonlyMap<string, unknown>,
  worldName: string,
  noun: 'file' | 'page',
): void {
  holds(
    [...mine.keys()].filter((key) => !theirs.has(key)).sort(),
    [],
    `${worldName}: no ${noun} the reference does not have`,
  );
  holds(
    [...theirs.keys()].filter((key) => !mine.has(key)).sort(),
    [],
    `${worldName}: every ${noun} the reference has`,
  );
}
