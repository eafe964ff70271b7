/**
 * The node history chart as Vega-Lite: daily imports (bars) and the daily error rate (a line,
 * broken where a day has no figure) over the last 12 months, one below the other on a shared
 * time axis, with a dashed rule on each day the DWH restarted. The data set `days` holds one
 * entry per day: `t` (UTC midnight, ms), `imports` and `errorRate` (numbers or null), `restart`.
 */
const DAY = { field: 't', type: 'temporal', scale: { type: 'utc' } } as const;
const DAY_AXIS = { ...DAY, title: null, axis: { format: '%d.%m.%Y' } } as const;
const RESTARTS = {
  transform: [{ filter: 'datum.restart' }],
  mark: { type: 'rule', color: '#e45756', strokeDash: [4, 3] },
  encoding: { x: DAY },
} as const;

export const HISTORY_CHART_SPEC = {
  $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
  data: { name: 'days' },
  config: {
    font: 'DejaVu Sans, sans-serif',
    axis: { labelFontSize: 11, titleFontSize: 11 },
    view: { stroke: null },
  },
  // One time axis for both: the line shows every day of the year, so the bars get the same span.
  resolve: { scale: { x: 'shared' } },
  vconcat: [
    {
      width: 860,
      height: 140,
      layer: [
        {
          mark: { type: 'bar', color: '#4c78a8' },
          encoding: {
            x: DAY_AXIS,
            y: { field: 'imports', type: 'quantitative', title: 'Importe', axis: { format: '~s' } },
            tooltip: [
              { ...DAY, title: 'Tag', format: '%d.%m.%Y' },
              { field: 'imports', type: 'quantitative', title: 'Importe' },
            ],
          },
        },
        RESTARTS,
      ],
    },
    {
      width: 860,
      height: 100,
      layer: [
        {
          mark: { type: 'line', color: '#f58518', invalid: 'break-paths-show-domains' },
          encoding: {
            x: DAY_AXIS,
            y: {
              field: 'errorRate',
              type: 'quantitative',
              title: 'Fehlerrate [%]',
              axis: { format: '.1~f' },
            },
          },
        },
        RESTARTS,
      ],
    },
  ],
} as const;
