/*
 * The Prometheus text exposition format (version 0.0.4), which node_exporter's textfile
 * collector reads: per family a `# HELP` and a `# TYPE` line, then one line per sample,
 * `name{label="value",…} value`.
 */

/** Labels of one sample: label name → value. */
export type Labels = Readonly<Record<string, string>>;

export interface Sample {
  readonly labels?: Labels;
  readonly value: number;
}

/** The types the text format knows that we use; info metrics and state sets are gauges there. */
export type MetricType = 'gauge' | 'counter';

export interface MetricFamily {
  readonly name: string;
  readonly help: string;
  readonly type: MetricType;
  readonly samples: readonly Sample[];
}

/** A family or label name our code got wrong: a programming error, never caused by data. */
export class MetricNameError extends Error {
  override readonly name = 'MetricNameError';
}

const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

/**
 * The text of the families, in the given order; families without samples are left out.
 * @throws MetricNameError for an invalid or repeated family name, an invalid label name, or a
 *   counter whose name does not end in `_total` (the naming convention promtool checks).
 */
export function renderExposition(families: readonly MetricFamily[]): string {
  const seen = new Set<string>();
  const lines: string[] = [];
  for (const family of families) {
    checkFamily(family, seen);
    if (family.samples.length === 0) continue;
    lines.push(`# HELP ${family.name} ${escapeHelp(family.help)}`, `# TYPE ${family.name} ${family.type}`);
    for (const sample of family.samples) lines.push(sampleLine(family.name, sample));
  }
  return lines.length === 0 ? '' : `${lines.join('\n')}\n`;
}

function checkFamily(family: MetricFamily, seen: Set<string>): void {
  if (!METRIC_NAME.test(family.name)) throw new MetricNameError(`invalid metric name "${family.name}"`);
  if (seen.has(family.name)) throw new MetricNameError(`metric ${family.name} is given twice`);
  seen.add(family.name);
  if (family.type === 'counter' && !family.name.endsWith('_total'))
    throw new MetricNameError(`counter ${family.name} must end in _total`);
  for (const sample of family.samples) {
    for (const label of Object.keys(sample.labels ?? {})) {
      if (!LABEL_NAME.test(label) || label.startsWith('__'))
        throw new MetricNameError(`invalid label name "${label}" of ${family.name}`);
    }
  }
}

function sampleLine(name: string, sample: Sample): string {
  const labels = Object.entries(sample.labels ?? {});
  const labelText =
    labels.length === 0
      ? ''
      : `{${labels.map(([key, value]) => `${key}="${escapeLabelValue(value)}"`).join(',')}}`;
  return `${name}${labelText} ${formatValue(sample.value)}`;
}

/** A label value as the format requires: backslash, double quote and line feed escaped. */
export function escapeLabelValue(value: string): string {
  return value.replaceAll('\\', '\\\\').replaceAll('"', '\\"').replaceAll('\n', '\\n');
}

/** HELP text escapes only backslash and line feed. */
function escapeHelp(help: string): string {
  return help.replaceAll('\\', '\\\\').replaceAll('\n', '\\n');
}

function formatValue(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Number.POSITIVE_INFINITY) return '+Inf';
  if (value === Number.NEGATIVE_INFINITY) return '-Inf';
  return String(value);
}

/** One sample line read back: family name, labels and value. */
export interface ParsedSample {
  readonly name: string;
  readonly labels: Labels;
  readonly value: number;
}

const SAMPLE_START = /^([a-zA-Z_:][a-zA-Z0-9_:]*)/;

/**
 * The samples of an exposition text, as renderExposition writes them; comment lines and lines
 * it cannot read (a file edited by hand) are passed over.
 */
export function parseExposition(text: string): ParsedSample[] {
  const samples: ParsedSample[] = [];
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const sample = parseSampleLine(line);
    if (sample !== undefined) samples.push(sample);
  }
  return samples;
}

function parseSampleLine(line: string): ParsedSample | undefined {
  const name = SAMPLE_START.exec(line)?.[1];
  if (name === undefined) return undefined;
  let position = name.length;
  const labels: Record<string, string> = {};
  if (line[position] === '{') {
    position++;
    while (line[position] !== '}') {
      const key = /^\s*([a-zA-Z_][a-zA-Z0-9_]*)="/.exec(line.slice(position));
      if (key === null) return undefined;
      position += key[0].length;
      let value = '';
      for (; position < line.length && line[position] !== '"'; position++) {
        const c = line[position];
        if (c === '\\') {
          position++;
          const escaped = line[position];
          value += escaped === 'n' ? '\n' : (escaped ?? '');
        } else value += c;
      }
      if (position >= line.length) return undefined;
      labels[key[1] as string] = value;
      position++;
      if (line[position] === ',') position++;
    }
    position++;
  }
  const valueText = line.slice(position).trim().split(/\s+/)[0] ?? '';
  const value =
    valueText === '+Inf' ? Number.POSITIVE_INFINITY : valueText === '-Inf' ? -Infinity : Number(valueText);
  if (valueText === '' || (Number.isNaN(value) && valueText !== 'NaN')) return undefined;
  return { name, labels, value };
}
