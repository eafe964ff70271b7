/*
 * The resource snapshot `.txt`: a flat JSON object of strings as Python's `json.dumps` writes it
 * with its defaults — `{"k": "v", "k2": "v2"}`, everything outside printable ASCII as `\uXXXX`
 * (lowercase hex, surrogate pairs above U+FFFF), no final newline.
 */
import { BrokenFileError } from './errors.js';
import type { ResourceEntries } from './types.js';

const SHORT_ESCAPES: Record<string, string> = {
  '"': '\\"',
  '\\': '\\\\',
  '\n': '\\n',
  '\r': '\\r',
  '\t': '\\t',
  '\b': '\\b',
  '\f': '\\f',
};

// Python's ensure_ascii escapes `\`, `"` and everything outside ' '..'~' (DEL included).
const NEEDS_ESCAPE = /[^\x20\x21\x23-\x5b\x5d-\x7e]/g;

function pythonJsonString(text: string): string {
  const escaped = text.replace(
    NEEDS_ESCAPE,
    (char) => SHORT_ESCAPES[char] ?? `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
  return `"${escaped}"`;
}

/** `json.dumps(dict(entries))` byte for byte. */
export function formatResourceJson(entries: ResourceEntries): string {
  return `{${entries.map(([key, value]) => `${pythonJsonString(key)}: ${pythonJsonString(value)}`).join(', ')}}`;
}

class JsonSyntaxError extends Error {
  override name = 'JsonSyntaxError';
}

/**
 * Reads a flat JSON object of strings keeping the document order of its keys (JSON.parse would
 * move keys that look like integers to the front). A repeated key keeps its first place and
 * its last value, as Python's `json.load` into a dict does. Anything else is a BrokenFileError
 * naming `file`.
 */
export function parseResourceJson(text: string, file: string): ResourceEntries {
  if (text.trim() === '') throw new BrokenFileError(file, 'the file is empty');
  try {
    return readFlatObject(text);
  } catch (error) {
    if (error instanceof JsonSyntaxError) {
      throw new BrokenFileError(file, `not a JSON object of strings: ${error.message}`);
    }
    throw error;
  }
}

function readFlatObject(text: string): ResourceEntries {
  const reader = new JsonReader(text);
  const entries = new Map<string, string>();
  reader.skipSpace();
  reader.expect('{');
  reader.skipSpace();
  if (!reader.take('}')) {
    do {
      reader.skipSpace();
      const key = reader.readString();
      reader.skipSpace();
      reader.expect(':');
      reader.skipSpace();
      entries.set(key, reader.readString());
      reader.skipSpace();
    } while (reader.take(','));
    reader.expect('}');
  }
  reader.skipSpace();
  reader.expectEnd();
  return [...entries];
}

class JsonReader {
  private position = 0;

  constructor(private readonly text: string) {}

  skipSpace(): void {
    while (/[ \t\n\r]/.test(this.text[this.position] ?? '')) this.position += 1;
  }

  take(char: string): boolean {
    if (this.text[this.position] !== char) return false;
    this.position += 1;
    return true;
  }

  expect(char: string): void {
    if (!this.take(char)) this.fail(`expected ${JSON.stringify(char)}`);
  }

  expectEnd(): void {
    if (this.position !== this.text.length) this.fail('unexpected text after the object');
  }

  readString(): string {
    if (this.text[this.position] !== '"') this.fail('expected a string');
    const start = this.position;
    this.position += 1;
    for (;;) {
      const char = this.text[this.position];
      if (char === undefined) this.fail('unterminated string');
      this.position += char === '\\' ? 2 : 1;
      if (char === '"') break;
    }
    try {
      // JSON.parse checks escapes and rejects raw control characters, as Python's strict mode does.
      return JSON.parse(this.text.slice(start, this.position)) as string;
    } catch {
      return this.fail('malformed string');
    }
  }

  private fail(message: string): never {
    throw new JsonSyntaxError(`${message} at character ${this.position}`);
  }
}
