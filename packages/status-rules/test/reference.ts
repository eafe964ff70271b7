import { readFileSync } from 'node:fs';

/** What CPython, dateutil and packaging answer; regenerate with fixtures/python-reference.py. */
export interface PythonReference {
  fixed2: Array<[number, string]>;
  repr: Array<[number, string]>;
  summary: Array<[string, string, string]>;
  round: Array<[number, number]>;
  dates: Array<{ text: string; berlin: string; utc: string; german: string }>;
  hours: Array<[string, string, number]>;
  pep440: Array<[string, string, boolean]>;
}

export const reference = JSON.parse(
  readFileSync(new URL('./fixtures/python-reference.json', import.meta.url), 'utf8'),
) as PythonReference;
