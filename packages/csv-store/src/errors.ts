/** Base class of every error this package throws, so callers can tell store problems apart. */
export class CsvStoreError extends Error {
  override name = 'CsvStoreError';
}

/** A node id that is not a plain decimal number; it never becomes a path. */
export class InvalidNodeIdError extends CsvStoreError {
  override name = 'InvalidNodeIdError';
  readonly nodeId: string;

  constructor(nodeId: string) {
    super(`invalid node id ${JSON.stringify(nodeId)}: only digits are allowed`);
    this.nodeId = nodeId;
  }
}

/** A store file that exists but cannot be read as what it should be (empty, not UTF-8, malformed). */
export class BrokenFileError extends CsvStoreError {
  override name = 'BrokenFileError';
  readonly file: string;
  readonly reason: string;

  constructor(file: string, reason: string) {
    super(`${file}: ${reason}`);
    this.file = file;
    this.reason = reason;
  }
}

/** Import statistics whose counters are not integers as Python's `int()` reads them. */
export class InvalidStatisticsError extends CsvStoreError {
  override name = 'InvalidStatisticsError';
  readonly field: string;
  readonly value: string;

  constructor(field: string, value: string) {
    super(`import statistics: ${field} is not an integer: ${JSON.stringify(value)}`);
    this.field = field;
    this.value = value;
  }
}

/**
 * A path of the working directory that is not used: a link that leads outside the working
 * directory (nothing is read from or written through it), or a node folder that is a file.
 */
export class UnusablePathError extends CsvStoreError {
  override name = 'UnusablePathError';
  readonly path: string;
  readonly reason: string;

  constructor(path: string, reason: string) {
    super(`${path}: ${reason}`);
    this.path = path;
    this.reason = reason;
  }
}
