#!/usr/bin/env node
// Compares two broker-monitor working directories, e.g. the Python version's and ours after
// both ran side by side on copies for a few days. Run times differ between the two (they ran at
// different moments), so the stats `date` column is compared by its UTC day and the run-time
// prefix of change-log and sent-mail lines is ignored; everything else must be equal.
// Usage: node scripts/compare-working-dirs.mjs <python-working-dir> <new-working-dir>
// Exit 0: equivalent; 1: differences (listed); 2: usage.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
// The store's own names for its files (built by `pnpm build`).
import { storeFileKind } from '../packages/csv-store/dist/formats.js';

const [left, right] = process.argv.slice(2);
if (!left || !right || !existsSync(left) || !existsSync(right)) {
  console.error('usage: node scripts/compare-working-dirs.mjs <python-working-dir> <new-working-dir>');
  process.exit(2);
}

/** Files the comparison looks at: node folders (digits) and tracking files; our own state is skipped. */
function listFiles(root) {
  const files = [];
  for (const entry of readdirSync(root)) {
    const path = join(root, entry);
    if (/^\d+$/.test(entry) && statSync(path).isDirectory()) {
      for (const file of readdirSync(path)) if (!file.endsWith('.tmp')) files.push(`${entry}/${file}`);
    } else if (storeFileKind(entry) === 'tracking') files.push(entry);
  }
  return files.sort();
}

/** The part of a file that both versions must agree on. */
function comparable(name, text) {
  const lines = text.replace(/\r\n/g, '\n').split('\n');
  const kind = storeFileKind(name.split('/').at(-1));
  if (kind === 'stats')
    return lines.map((line, i) => (i === 0 ? line : line.replace(/^(\d{4}-\d{2}-\d{2})[^;]*/, '$1')));
  if (kind === 'change-log' || kind === 'sent-mails')
    return lines.map((line) => line.replace(/^[^:]*\d{2}:\d{2}:\d{2}[^ ]* : /, '')).sort();
  if (kind === 'tracking') return Object.keys(JSON.parse(text || '{}')).sort();
  return lines;
}

const leftFiles = listFiles(left);
const rightFiles = listFiles(right);
const differences = [];
for (const name of new Set([...leftFiles, ...rightFiles])) {
  if (!leftFiles.includes(name)) differences.push(`${name}: only in ${right}`);
  else if (!rightFiles.includes(name)) differences.push(`${name}: only in ${left}`);
  else {
    const a = comparable(name, readFileSync(join(left, name), 'utf8'));
    const b = comparable(name, readFileSync(join(right, name), 'utf8'));
    const length = Math.max(a.length, b.length);
    for (let i = 0; i < length; i++) {
      if (a[i] !== b[i]) {
        differences.push(
          `${name}: line ${i + 1} differs\n    ${left}: ${a[i] ?? '(missing)'}\n    ${right}: ${b[i] ?? '(missing)'}`,
        );
        break;
      }
    }
  }
}
console.log(`${leftFiles.length} files in ${left}, ${rightFiles.length} in ${right}`);
for (const line of differences) console.log(`- ${line}`);
console.log(differences.length === 0 ? 'equivalent' : `${differences.length} files differ`);
process.exit(differences.length === 0 ? 0 : 1);
