export { formatSilences, parseSilences, SilencesFileError } from './file.js';
export {
  expireSilence,
  isActive,
  LISTED_DAYS_AFTER_END,
  listedSilences,
  maintenanceNote,
  newSilence,
  SILENCE_KINDS,
  type Silence,
  type SilenceContext,
  SilenceInputError,
  type SilenceKind,
  type SilenceRequest,
  silenceFor,
} from './silence.js';
