export { berlinDateTime, berlinDayStart, utcDateTime, wallClockFormat } from './dates.js';
export { InvalidNumberError, InvalidStatsFieldError, InvalidTimestampError } from './errors.js';
export {
  type Availability,
  availability,
  type DailyHistory,
  type DayStatus,
  dailyHistory,
  type HistoryDay,
  type ImportDrop,
  importDrop,
} from './history.js';
export {
  judgeNode,
  type MailDates,
  type NodeJudgement,
  type PageFigures,
  type StatsHistory,
  type SummaryFigures,
} from './judge.js';
export { type NotificationAction, notificationAction } from './notify.js';
export {
  type ImportFigures,
  type PageDates,
  type PageResources,
  pageErrors,
  pageResources,
  type ScriptResource,
  summarySum,
  type VersionKey,
} from './page-values.js';
export {
  NODE_STATUS_TITLES,
  type NodeStatus,
  type NodeStatusTitle,
  type StatusColor,
  type StatusOptions,
} from './status.js';
export { type DwhVersionCheck, isDwhOutdated } from './versions.js';
