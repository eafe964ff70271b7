/*
 * The maintenance windows of the e-mail service: WORKING/.broker-monitor/silences.json. The store
 * keeps the text; its format belongs to @broker-monitor/silences.
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { readTextFile, stateDir, writeFileAtomic } from './files.js';

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
  return { file, text: await readTextFile(file) };
}

export async function writeSilencesText(workingDir: string, text: string): Promise<void> {
  await mkdir(stateDir(workingDir), { recursive: true });
  await writeFileAtomic(silencesFilePath(workingDir), text);
}
