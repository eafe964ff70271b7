/** A date text from the store (CSV or tracking file) that is no ISO-like timestamp. */
export class InvalidTimestampError extends Error {
  override readonly name = 'InvalidTimestampError';
  constructor(readonly text: string) {
    super(`not a timestamp: ${JSON.stringify(text)}`);
  }
}

/** A number text from the store that Python's `float()` would reject. */
export class InvalidNumberError extends Error {
  override readonly name = 'InvalidNumberError';
  constructor(readonly text: string) {
    super(`not a number: ${JSON.stringify(text)}`);
  }
}

/** The status needs at least one stats row; callers skip nodes without one (SPEC §6). */
export class EmptyHistoryError extends Error {
  override readonly name = 'EmptyHistoryError';
  constructor() {
    super('the stats history has no rows');
  }
}

/**
 * A field of the stats history the rules cannot read, located: which year's file (UTC year),
 * which data row (0-based, as read) and which column, and where the caller says that row is.
 * Its cause is the InvalidTimestampError or InvalidNumberError.
 */
export class InvalidStatsFieldError extends Error {
  override readonly name = 'InvalidStatsFieldError';
  constructor(
    readonly year: number,
    readonly index: number,
    readonly column: string,
    cause: InvalidTimestampError | InvalidNumberError,
    where?: string,
  ) {
    super(`${where === undefined ? '' : `${where}, `}column ${column}: ${cause.message}`, { cause });
  }
}
