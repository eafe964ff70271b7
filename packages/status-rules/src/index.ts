// Python's f'{x:.2f}' is csv-store's; kept under the name this package has always exported.
export { formatTwoDecimals as formatFixed2 } from '@broker-monitor/csv-store';
export {
  berlinDateTime,
  berlinDay,
  germanDate,
  hoursBetween,
  isAbsent,
  parseTimestamp,
  type Timestamp,
  utcDateTime,
} from './dates.js';
export { EmptyHistoryError, InvalidNumberError, InvalidTimestampError } from './errors.js';
export {
  DEFAULT_WEEKS_NOTIFICATION_INTERVAL,
  type NotificationAction,
  noImportsMailDate,
  notificationAction,
  offlineMailDate,
  shouldNotify,
} from './notify.js';
export {
  DAILY_COLUMNS,
  type DailyColumn,
  type DailyValues,
  dailyValues,
  MEAN_DAYS,
  type MeanField,
  onlineSince,
  PAGE_ERROR_ROWS,
  type PageDates,
  pageDates,
  pageErrors,
  resourceList,
  resourceValue,
  summarySum,
  type TodaysTotals,
  todaysTotals,
  VERSION_KEYS,
  type VersionKey,
  versionValues,
  type WeeklyMeans,
  weeklyMeans,
} from './page-values.js';
export { parsePythonFloat, pythonFloatRepr, roundHalfEven, roundTo2 } from './python-format.js';
export {
  DEFAULT_CONSECUTIVE_IMPORT_DAYS,
  DEFAULT_THRESHOLD_HOURS_FAILURE,
  lastKnownWrite,
  MIN_ROWS_WITHOUT_PREVIOUS_YEAR,
  type NodeStatus,
  type NodeStatusTitle,
  needsPreviousYear,
  nodeStatus,
  STATUS_COLORS,
  type StatusColor,
  type StatusOptions,
  statusHistory,
} from './status.js';
export { type DwhVersionCheck, isDwhOutdated, isOlderTemplateVersion } from './versions.js';
