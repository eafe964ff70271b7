// Characters XML 1.0 forbids even as character references (control characters, lone
// surrogates, U+FFFE/U+FFFF). Node error texts can carry them (e.g. ANSI escapes), and one
// of them makes Confluence reject the whole body with HTTP 400.
const FORBIDDEN_IN_XML = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

export function toXmlChars(text: string): string {
  return text.replace(FORBIDDEN_IN_XML, '\uFFFD');
}

/** Applies {@link toXmlChars} to every string inside a view model (arrays and plain objects). */
export function cleanStrings<T>(value: T): T {
  return cleanValue(value) as T;
}

function cleanValue(value: unknown): unknown {
  if (typeof value === 'string') return toXmlChars(value);
  if (Array.isArray(value)) return value.map(cleanValue);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, cleanValue(inner)]));
  }
  return value;
}
