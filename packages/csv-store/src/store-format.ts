/*
 * Text of the stats and errors CSVs: written as the original writes them, read strictly enough
 * to notice a broken file (wrong header, wrong number of fields) and name it.
 */
import { CsvSyntaxError, formatCsv, parseCsv } from './csv.js';
import { BrokenFileError } from './errors.js';
import { type ErrorRow, STATS_COLUMNS, type StatsRow } from './types.js';

export const ERROR_COLUMNS = ['timestamp', 'repeats', 'content'] as const;

export function formatStatsCsv(rows: readonly StatsRow[]): string {
  return formatCsv(
    STATS_COLUMNS,
    rows.map((row) => STATS_COLUMNS.map((column) => row[column])),
  );
}

export function formatErrorsCsv(rows: readonly ErrorRow[]): string {
  return formatCsv(
    ERROR_COLUMNS,
    rows.map((row) => [row.timestamp, row.repeats, row.content]),
  );
}

function readRecords(text: string, file: string, columns: readonly string[]): string[][] {
  if (text.trim() === '') throw new BrokenFileError(file, 'the file is empty');
  let records: string[][];
  try {
    records = parseCsv(text);
  } catch (error) {
    if (error instanceof CsvSyntaxError) throw new BrokenFileError(file, error.message);
    throw error;
  }
  const [header = [], ...rows] = records;
  if (header.join(';') !== columns.join(';')) {
    throw new BrokenFileError(file, `unexpected header ${JSON.stringify(header.join(';'))}`);
  }
  rows.forEach((row, index) => {
    if (row.length !== columns.length) {
      throw new BrokenFileError(
        file,
        `row ${index + 1} has ${row.length} fields instead of ${columns.length}`,
      );
    }
  });
  return rows;
}

/** Rows of a stats CSV text; `file` names the file in a BrokenFileError. */
export function parseStatsCsv(text: string, file: string): StatsRow[] {
  // A literal of all columns (not Object.fromEntries) keeps a whole year's file cheap to read.
  return readRecords(text, file, STATS_COLUMNS).map(
    ([
      date = '',
      last_contact = '',
      last_start = '',
      last_write = '',
      last_reject = '',
      imported = '',
      updated = '',
      invalid = '',
      failed = '',
      error_rate = '',
      daily_imported = '',
      daily_updated = '',
      daily_invalid = '',
      daily_failed = '',
      daily_error_rate = '',
    ]) => ({
      date,
      last_contact,
      last_start,
      last_write,
      last_reject,
      imported,
      updated,
      invalid,
      failed,
      error_rate,
      daily_imported,
      daily_updated,
      daily_invalid,
      daily_failed,
      daily_error_rate,
    }),
  );
}

/** Rows of an errors CSV text; `file` names the file in a BrokenFileError. */
export function parseErrorsCsv(text: string, file: string): ErrorRow[] {
  return readRecords(text, file, ERROR_COLUMNS).map(([timestamp = '', repeats = '', content = '']) => ({
    timestamp,
    repeats,
    content,
  }));
}
