/*
 * Text of the stats and errors CSVs: written as the original writes them, read strictly enough
 * to notice a broken file (wrong header, wrong number of fields) and name it.
 */
import { CsvSyntaxError, forEachCsvRecord, formatCsv } from './csv.js';
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

/**
 * Reads the records of a stats or errors CSV and hands every data record, once its field count is
 * checked, to `toRow`; the header must be `columns`. One pass, no array of raw records kept.
 */
function readRows<Row>(
  text: string,
  file: string,
  columns: readonly string[],
  toRow: (record: readonly string[]) => Row,
): Row[] {
  if (text.trim() === '') throw new BrokenFileError(file, 'the file is empty');
  const rows: Row[] = [];
  let header: string[] | undefined;
  try {
    forEachCsvRecord(text, (record) => {
      if (header === undefined) {
        header = record;
        if (header.join(';') !== columns.join(';')) {
          throw new BrokenFileError(file, `unexpected header ${JSON.stringify(header.join(';'))}`);
        }
        return;
      }
      if (record.length !== columns.length) {
        throw new BrokenFileError(
          file,
          `row ${rows.length + 1} has ${record.length} fields instead of ${columns.length}`,
        );
      }
      rows.push(toRow(record));
    });
  } catch (error) {
    if (error instanceof CsvSyntaxError) throw new BrokenFileError(file, error.message);
    throw error;
  }
  return rows;
}

/** Rows of a stats CSV text; `file` names the file in a BrokenFileError. */
export function parseStatsCsv(text: string, file: string): StatsRow[] {
  // A literal of all columns by index (no Object.fromEntries, no destructuring iterator) keeps a
  // whole year's file cheap to read; the field count is checked before.
  return readRows(text, file, STATS_COLUMNS, (record) => ({
    date: record[0] as string,
    last_contact: record[1] as string,
    last_start: record[2] as string,
    last_write: record[3] as string,
    last_reject: record[4] as string,
    imported: record[5] as string,
    updated: record[6] as string,
    invalid: record[7] as string,
    failed: record[8] as string,
    error_rate: record[9] as string,
    daily_imported: record[10] as string,
    daily_updated: record[11] as string,
    daily_invalid: record[12] as string,
    daily_failed: record[13] as string,
    daily_error_rate: record[14] as string,
  }));
}

/** Rows of an errors CSV text; `file` names the file in a BrokenFileError. */
export function parseErrorsCsv(text: string, file: string): ErrorRow[] {
  return readRows(text, file, ERROR_COLUMNS, (record) => ({
    timestamp: record[0] as string,
    repeats: record[1] as string,
    content: record[2] as string,
  }));
}
