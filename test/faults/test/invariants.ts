/*
 * The invariants checked after every scenario: the store parses, no day and no error row is lost
 * or duplicated, no mail is lost or sent twice, and a world ends in the reference's state.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { openStore, RESOURCE_NAMES, type ResourceName } from '@broker-monitor/csv-store';
import {
  parseErrorsCsv,
  parseResourceJson,
  parseStatsCsv,
  instantOfTimestamp as parseTimestamp,
} from '@broker-monitor/csv-store/formats';
import { holds, holdsThat } from './tally.js';
import { hasStats, stateOnDay } from './timeline.js';
import type { World } from './world.js';

// Reads through the store, as the apps read.
const listNodeFolders = (work: string) => openStore(work).listNodes();
const readStatsRows = async (work: string, id: string, year: number) =>
  (await openStore(work).readHistory(id, new Date(Date.UTC(year, 5, 1)))).thisYear;
const readErrorRows = (work: string, id: string, year: number) => openStore(work).readErrors(id, year);
const readResource = async (work: string, id: string, name: ResourceName) =>
  (await openStore(work).readResources(id))[name];

/** A run time as the store writes it (`str(datetime)` in UTC: `2025-01-01 06:00:00[.123000]+00:00`). */
const RUN_TIME = String.raw`\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}(?:\.\d{6})?\+00:00`;
const CHANGE_LINE = new RegExp(`^${RUN_TIME} : \\[.*\\] .* --> .*$`);
const RESOURCE = `(?:${RESOURCE_NAMES.join('|')})`;
const STATUS_OF_SUBJECT: Record<string, string> = {
  'Automatische Information: AKTIN DWH Offline': 'OFFLINE',
  'Automatische Information: AKTIN DWH Keine Imports': 'NO IMPORTS',
  'Automatische Information: AKTIN DWH Version veraltet': 'DWH OUTDATED',
};

const isTemporary = (name: string) => name.endsWith('.tmp');
/** A stale lock moved aside by a run that took it over (see the known bug in checkStoreParses). */
export const STALE_LOCK_ASIDE = /^\.broker-monitor\/run\.lock\.stale-\d+$/;
const utcDay = (date: Date) => date.toISOString().slice(0, 10);

/** Every file below `root` (relative path → bytes as text), without temporary files. */
export async function readTree(root: string): Promise<Map<string, string>> {
  const files = new Map<string, string>();
  const walk = async (dir: string): Promise<void> => {
    for (const entry of await readdir(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) await walk(path);
      else if (!isTemporary(entry.name)) files.set(relative(root, path), await readFile(path, 'latin1'));
    }
  };
  await walk(root);
  return files;
}

/** Temporary files (`.<name>.<pid>.<hex>.tmp`) left anywhere below `root`. */
export async function temporaryFiles(root: string): Promise<string[]> {
  const found: string[] = [];
  const walk = async (dir: string): Promise<void> => {
    for (const entry of await readdir(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) await walk(path);
      else if (isTemporary(entry.name)) found.push(relative(root, path));
    }
  };
  await walk(root);
  return found.sort();
}

export interface ParseOptions {
  /** After a SIGKILL: a stale lock and temporary files may be left (never a torn store file). */
  afterKill?: boolean;
}

/**
 * A log created by a run killed between creating it and writing its first lines is empty; the
 * next run writes those lines (the change is still pending: its snapshot or tracking entry was
 * not replaced yet). Lines cannot be torn: each append is one small write.
 */
const emptyAfterKill = (text: string, options: ParseOptions) => options.afterKill === true && text === '';

/**
 * Every file of the store parses with the store's own readers (stats, errors, resources) or
 * matches its line format (change logs, sent-mail logs, tracking files, collector state).
 */
export async function checkStoreParses(world: World, options: ParseOptions = {}): Promise<void> {
  const work = world.working;
  const rootEntries = await readdir(work, { withFileTypes: true });
  const nodeIds = new Set(await listNodeFolders(work));
  for (const entry of rootEntries) {
    const name = entry.name;
    if (entry.isDirectory()) {
      holdsThat(
        nodeIds.has(name) || name === '.broker-monitor',
        `${world.name}: only node folders and .broker-monitor in DIR.WORKING, found ${name}/`,
      );
      continue;
    }
    if (isTemporary(name)) {
      holdsThat(options.afterKill === true, `${world.name}: temporary file ${name} left by a run that ended`);
      continue;
    }
    const tracking = /^tracking_(OFFLINE|NO_IMPORTS|DWH_OUTDATED)\.json$/.test(name);
    holdsThat(tracking, `${world.name}: unexpected file ${name} in DIR.WORKING`);
    const entries = parseResourceJson(await readFile(join(work, name), 'utf8'), name);
    holdsThat(
      entries.every(([id, time]) => nodeIds.has(id) && new RegExp(`^${RUN_TIME}$`).test(time)),
      `${world.name}: ${name} maps node ids to run times: ${JSON.stringify(entries)}`,
    );
  }

  const state = join(work, '.broker-monitor');
  const stateEntries = await readdir(state).catch(() => [] as string[]);
  holdsThat(
    options.afterKill === true || !stateEntries.includes('run.lock'),
    `${world.name}: the lock is released when a run ends`,
  );
  for (const name of stateEntries) {
    holdsThat(
      name === 'conditional' ||
        name === 'run.lock' ||
        // Known bug (app-runtime acquireLock): a run killed between moving a stale lock aside and
        // deleting it leaves `run.lock.stale-<pid>` for good. Harmless for locking, never cleaned.
        (options.afterKill === true && STALE_LOCK_ASIDE.test(`.broker-monitor/${name}`)),
      `${world.name}: .broker-monitor/${name} is a file the apps write`,
    );
  }
  for (const name of await readdir(join(state, 'conditional')).catch(() => [] as string[])) {
    if (isTemporary(name)) {
      holdsThat(options.afterKill === true, `${world.name}: temporary collector state ${name} left`);
      continue;
    }
    const text = await readFile(join(state, 'conditional', name), 'utf8');
    holdsThat(
      typeof (JSON.parse(text) as { resources?: unknown }).resources === 'object',
      `${world.name}: collector state ${name} parses`,
    );
  }

  for (const id of nodeIds) {
    for (const name of await readdir(join(work, id))) {
      const what = `${world.name}: ${id}/${name}`;
      const stats = new RegExp(`^${id}_stats_(\\d{4})\\.csv$`).exec(name);
      const errors = new RegExp(`^${id}_errors_(\\d{4})\\.csv$`).exec(name);
      const resource = new RegExp(`^${id}_(${RESOURCE})\\.txt$`).exec(name);
      if (isTemporary(name)) {
        holdsThat(options.afterKill === true, `${what} is a temporary file left by a run that ended`);
      } else if (stats) {
        const year = Number(stats[1]);
        const rows = (await readStatsRows(work, id, year)) ?? [];
        holdsThat(
          rows.every((row) => parseTimestamp(row.date)?.getUTCFullYear() === year),
          `${what}: every row parses and lies in ${year}`,
        );
      } else if (errors) {
        holdsThat(Array.isArray(await readErrorRows(work, id, Number(errors[1]))), `${what} parses`);
      } else if (resource) {
        const entries = await readResource(work, id, resource[1] as ResourceName);
        holdsThat(Array.isArray(entries), `${what} parses`);
      } else if (new RegExp(`^${id}_log_${RESOURCE}\\.log$`).test(name)) {
        const text = await readFile(join(work, id, name), 'utf8');
        holdsThat(
          emptyAfterKill(text, options) || everyLineMatches(text, CHANGE_LINE),
          `${what}: every line is "<run time> : [key] old --> new"`,
        );
      } else if (name === `${id}_sent_mails.log`) {
        const text = await readFile(join(work, id, name), 'utf8');
        const line = new RegExp(
          `^${RUN_TIME} : Sent mail for status (OFFLINE|NO IMPORTS|DWH OUTDATED) to node id ${id}$`,
        );
        holdsThat(
          emptyAfterKill(text, options) || everyLineMatches(text, line),
          `${what}: every line is "<run time> : Sent mail for status <STATUS> to node id ${id}"`,
        );
      } else {
        holdsThat(false, `${what}: a file the store does not write`);
      }
    }
  }
}

/** A log text of whole lines (ending in a newline), each of them matching the pattern. */
function everyLineMatches(text: string, pattern: RegExp): boolean {
  return (
    text.endsWith('\n') &&
    text
      .slice(0, -1)
      .split('\n')
      .every((line) => pattern.test(line))
  );
}

/** A node's stats rows over all its yearly files, oldest file first. */
async function allStatsRows(work: string, id: string) {
  const years = (await readdir(join(work, id)).catch(() => [] as string[]))
    .map((name) => new RegExp(`^${id}_stats_(\\d{4})\\.csv$`).exec(name)?.[1])
    .filter((year): year is string => year !== undefined)
    .map(Number)
    .sort((a, b) => a - b);
  const rows = [];
  for (const year of years) rows.push(...((await readStatsRows(work, id, year)) ?? []));
  return rows;
}

/**
 * No day lost or duplicated: through `lastDay`, every node has exactly one stats row per UTC day
 * on which the broker held its statistics (every day ends with a successful collection), dates
 * strictly increasing, and a row exists exactly on the days a collector run logged the node ok.
 */
export async function checkStatsDays(world: World, lastDay: number): Promise<void> {
  for (const clinic of world.clinics) {
    const rows = await allStatsRows(world.working, clinic.id);
    const expected = world.runs
      .slice(0, lastDay + 1)
      .filter((_, day) => hasStats(clinic, day, world.runs))
      .map(utcDay);
    const days = rows.map((row) => row.date.slice(0, 10));
    holds(days, expected, `${world.name}: node ${clinic.id} has one stats row per collected UTC day`);
    const times = rows.map((row) => parseTimestamp(row.date)?.getTime() ?? Number.NaN);
    holdsThat(
      times.every((time, i) => i === 0 || time > (times[i - 1] as number)),
      `${world.name}: node ${clinic.id}: row dates strictly increasing`,
    );
    const loggedOk = new Set(
      world.records
        .filter(
          (r) =>
            r.app === 'node-to-csv' &&
            r.day <= lastDay &&
            r.lines.some((l) => l.node === clinic.id && l.outcome === 'ok'),
        )
        .map((r) => utcDay(world.runs[r.day] as Date)),
    );
    holds(days, [...loggedOk].sort(), `${world.name}: node ${clinic.id}: rows exactly on the days logged ok`);
  }
}

/**
 * No error row lost: every error the broker served at a collected run, whose timestamp lies in
 * that run's UTC year, is in that year's errors CSV; contents are unique and rows sorted by
 * timestamp text, newest first.
 */
export async function checkErrorsKept(world: World, lastDay: number): Promise<void> {
  for (const clinic of world.clinics) {
    const served = new Map<number, Set<string>>();
    for (let day = 0; day <= lastDay; day++) {
      const year = (world.runs[day] as Date).getUTCFullYear();
      for (const error of stateOnDay(clinic, day, world.runs).stats?.errors ?? []) {
        if (new Date(error.timestamp).getUTCFullYear() !== year) continue;
        const contents = served.get(year) ?? new Set<string>();
        contents.add(error.content);
        served.set(year, contents);
      }
    }
    for (const [year, contents] of served) {
      const rows = (await readErrorRows(world.working, clinic.id, year)) ?? [];
      const stored = rows.map((row) => row.content);
      const what = `${world.name}: node ${clinic.id} errors ${year}`;
      holds(
        [...contents].filter((content) => !stored.includes(content)),
        [],
        `${what}: every served error is stored`,
      );
      holds(new Set(stored).size, stored.length, `${what}: each error stored once`);
      const stamps = rows.map((row) => row.timestamp);
      holds(stamps, [...stamps].sort().reverse(), `${what}: newest first`);
    }
  }
}

/** `<node> <STATUS>` of each mail the SMTP server accepted on `day`, sorted. */
export function mailsOfDay(world: World, day: number): string[] {
  return world.smtp.messages
    .filter((_, i) => world.mailDays[i] === day)
    .map((mail) => {
      // The To header names the clinic even when the server refused some of its addresses.
      const node = mail.to.map((to) => /@klinikum-(\d+)\.example$/.exec(to)?.[1]).find(Boolean);
      return `${node} ${STATUS_OF_SUBJECT[mail.subject] ?? mail.subject}`;
    })
    .sort();
}

/** Sent-mail log lines per node and status equal the mails the server accepted (none lost, none unlogged). */
export async function checkMailLogs(world: World): Promise<void> {
  const accepted = new Map<string, number>();
  for (let day = 0; day < world.runs.length; day++) {
    for (const mail of mailsOfDay(world, day)) accepted.set(mail, (accepted.get(mail) ?? 0) + 1);
  }
  const logged = new Map<string, number>();
  for (const clinic of world.clinics) {
    const text = await readFile(join(world.working, clinic.id, `${clinic.id}_sent_mails.log`), 'utf8').catch(
      () => '',
    );
    for (const line of text.split('\n').filter(Boolean)) {
      const status = / : Sent mail for status (.+) to node id /.exec(line)?.[1];
      const key = `${clinic.id} ${status}`;
      logged.set(key, (logged.get(key) ?? 0) + 1);
    }
  }
  holds(
    Object.fromEntries([...logged].sort()),
    Object.fromEntries([...accepted].sort()),
    `${world.name}: one sent-mail log line per accepted mail`,
  );
}

/**
 * Tracking only after acceptance: every tracking entry is backed by a sent-mail log line with the
 * same status and time (the log line is written after the server accepted the mail).
 */
export async function checkTrackingBacked(world: World): Promise<void> {
  for (const status of ['OFFLINE', 'NO IMPORTS', 'DWH OUTDATED']) {
    const file = join(world.working, `tracking_${status.replaceAll(' ', '_')}.json`);
    const text = await readFile(file, 'utf8').catch(() => undefined);
    if (text === undefined) continue;
    for (const [id, time] of parseResourceJson(text, file)) {
      const log = await readFile(join(world.working, id, `${id}_sent_mails.log`), 'utf8').catch(() => '');
      holdsThat(
        log.split('\n').includes(`${time} : Sent mail for status ${status} to node id ${id}`),
        `${world.name}: tracking ${status} of node ${id} (${time}) is backed by its sent-mail log line`,
      );
    }
  }
}

/**
 * A reader alongside an in-process run, as the reporter and the backup read the store without a
 * lock while the collector or the mailer writes it: between every two turns of the event loop —
 * i.e. between any two steps of the writer's file operations — it reads every stats, errors,
 * resource and tracking file and parses it. Files replaced atomically are always whole.
 */
export function startWholeFileReader(working: string): { stop(): { reads: number; broken: string[] } } {
  let running = true;
  let reads = 0;
  const broken = new Set<string>();
  const parse = (path: string, name: string) => {
    let text: string;
    try {
      text = readFileSync(path, 'utf8');
    } catch {
      return; // not there (yet): never a half-written file
    }
    reads++;
    try {
      if (/_stats_\d{4}\.csv$/.test(name)) parseStatsCsv(text, path);
      else if (/_errors_\d{4}\.csv$/.test(name)) parseErrorsCsv(text, path);
      else parseResourceJson(text, path);
    } catch (error) {
      broken.add((error as Error).message);
    }
  };
  const readAll = () => {
    if (!running) return;
    for (const entry of readdirSync(working, { withFileTypes: true })) {
      if (entry.isFile() && /^tracking_.*\.json$/.test(entry.name))
        parse(join(working, entry.name), entry.name);
      if (!entry.isDirectory() || !/^\d+$/.test(entry.name)) continue;
      for (const name of readdirSync(join(working, entry.name))) {
        if (/(_stats_\d{4}\.csv|_errors_\d{4}\.csv|\.txt)$/.test(name))
          parse(join(working, entry.name, name), name);
      }
    }
    setImmediate(readAll);
  };
  setImmediate(readAll);
  return {
    stop() {
      running = false;
      return { reads, broken: [...broken] };
    },
  };
}
