/*
 * Builders for the kinds of family the apps write, each following the Prometheus naming
 * conventions: base units (seconds, ratios 0–1), `_timestamp_seconds` for Unix times, `_total`
 * for counters, `_info` for an info metric whose labels carry the value.
 */
import { type Labels, type MetricFamily, MetricNameError, type Sample } from './exposition.js';

/** A gauge; samples whose value is undefined (not known in this run) are left out. */
export function gauge(
  name: string,
  help: string,
  samples: readonly { labels?: Labels; value: number | undefined }[],
): MetricFamily {
  return { name, help, type: 'gauge', samples: known(samples) };
}

/** A counter: `name` ends in `_total`, and each value only ever grows (it is a running total). */
export function counter(name: string, help: string, samples: readonly Sample[]): MetricFamily {
  return { name, help, type: 'counter', samples };
}

/** An info metric: one sample of value 1 per label set; `name` ends in `_info`. */
export function info(name: string, help: string, labelSets: readonly Labels[]): MetricFamily {
  if (!name.endsWith('_info')) throw new MetricNameError(`info metric ${name} must end in _info`);
  return { name, help, type: 'gauge', samples: labelSets.map((labels) => ({ labels, value: 1 })) };
}

/** One subject of a state set: its labels and the state it is in. */
export interface StateOf {
  readonly labels: Labels;
  readonly state: string;
}

/**
 * A state set: per subject one sample for every possible state, 1 for the state it is in and 0
 * for the others, so that a query for one state sees every subject (OpenMetrics' StateSet,
 * written as a gauge as the text format has no such type).
 */
export function stateSet(
  name: string,
  help: string,
  stateLabel: string,
  states: readonly string[],
  subjects: readonly StateOf[],
): MetricFamily {
  return {
    name,
    help,
    type: 'gauge',
    samples: subjects.flatMap((subject) =>
      states.map((state) => ({
        labels: { ...subject.labels, [stateLabel]: state },
        value: state === subject.state ? 1 : 0,
      })),
    ),
  };
}

/** An instant as a Unix timestamp in seconds (milliseconds kept as the fraction). */
export function timestampSeconds(instant: Date): number {
  return instant.getTime() / 1000;
}

function known(samples: readonly { labels?: Labels; value: number | undefined }[]): Sample[] {
  const result: Sample[] = [];
  for (const { labels, value } of samples) {
    if (value !== undefined) result.push(labels === undefined ? { value } : { labels, value });
  }
  return result;
}

/**
 * A counter's samples after this run: the previous totals (read back from the previous textfile)
 * with this run's increments added, per label set. A label set this run did not see keeps its total.
 */
export function addToTotals(previous: readonly Sample[], increments: readonly Sample[]): Sample[] {
  const totals = new Map<string, Sample>();
  for (const sample of [...previous, ...increments]) {
    const key = labelKey(sample.labels ?? {});
    const before = totals.get(key)?.value ?? 0;
    totals.set(key, { labels: sample.labels ?? {}, value: before + sample.value });
  }
  return [...totals.values()];
}

function labelKey(labels: Labels): string {
  return JSON.stringify(Object.entries(labels).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
