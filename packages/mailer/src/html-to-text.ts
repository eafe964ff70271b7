const NAMED_ENTITIES: Record<string, string> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  nbsp: ' ',
  auml: 'ä',
  ouml: 'ö',
  uuml: 'ü',
  Auml: 'Ä',
  Ouml: 'Ö',
  Uuml: 'Ü',
  szlig: 'ß',
  euro: '€',
  ndash: '–',
  mdash: '—',
  bdquo: '„',
  ldquo: '“',
  rdquo: '”',
  hellip: '…',
};

function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#[0-9]+|[a-z]+);/gi, (entity, body: string) => {
    if (body.startsWith('#x') || body.startsWith('#X'))
      return String.fromCodePoint(Number.parseInt(body.slice(2), 16));
    if (body.startsWith('#')) return String.fromCodePoint(Number.parseInt(body.slice(1), 10));
    return NAMED_ENTITIES[body] ?? entity;
  });
}

function stripTags(html: string): string {
  return html.replace(/<[^>]*>/g, '');
}

/**
 * The plain-text alternative of one of our simple mail bodies: paragraphs become blank-line separated
 * blocks, links keep their target, markup goes. Made for the alert templates, not for arbitrary HTML.
 */
export function htmlToText(html: string): string {
  const withoutInvisible = html
    .replace(/<!--[\s\S]*?-->/g, '')
    .replace(/<(head|style|script|title)\b[\s\S]*?<\/\1\s*>/gi, '');
  // HTML whitespace rules: line breaks in the source are spaces.
  const flowing = withoutInvisible.replace(/\s+/g, ' ');
  const withLinks = flowing.replace(
    /<a\b[^>]*\bhref\s*=\s*["']([^"']*)["'][^>]*>([\s\S]*?)<\/a\s*>/gi,
    (_link, href: string, label: string) => {
      // Entities stay encoded here; the final pass decodes everything exactly once.
      const target = href.replace(/^mailto:/i, '');
      const shown = stripTags(label).trim();
      return shown === '' || decodeEntities(shown) === decodeEntities(target)
        ? target
        : `${shown} (${target})`;
    },
  );
  const blocks = withLinks
    .replace(/<br\s*\/?>/gi, '\n')
    .replace(/<li\b[^>]*>/gi, '\n- ')
    .replace(/<\/(p|div|h[1-6]|ul|ol|table|tr|blockquote)\s*>/gi, '\n\n')
    .replace(/<(p|div|h[1-6]|ul|ol|table|tr|blockquote)\b[^>]*>/gi, '\n\n');
  return decodeEntities(stripTags(blocks))
    .split('\n')
    .map((line) => line.trim())
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}
