/*
 * The maintenance windows of the e-mail service: WORKING/.broker-monitor/silences.json. The store
 * keeps the text; its format belongs to @broker-monitor/silences.
 */
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { stateDir, writeFileAtomic } from './files.js';

/** The silences file's text (`undefined` when there is none yet) and where it is, for messages. */
export interface SilencesText {
  file: string;
  text: string | undefined;
}

export function silencesFilePath(workingDir: string): string {
  return join(stateDir(workingDir), 'silences.json');
}

export async function readSilencesText(workingDir: string): Promise<SilencesText> {
  const file = silencesFilePath(workingDir);
  try {
    return { file, text: await readFile(file, 'utf8') };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { file, text: undefined };
    throw error;
  }
}

export async function writeSilencesText(workingDir: string, text: string): Promise<void> {
  await mkdir(stateDir(workingDir), { recursive: true });
  await writeFileAtomic(silencesFilePath(workingDir), text);
}
