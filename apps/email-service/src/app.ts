import { stat } from 'node:fs/promises';
import {
  type AppContext,
  type AppDefinition,
  type AppOptions,
  ExitCode,
  packageVersion,
  type RunOutcomes,
  UsageError,
} from '@broker-monitor/app-runtime';
import { type AppConfig, ConfigError, loadConfig, loadNodeMapping } from '@broker-monitor/config';
import { mailRecipients, noRecipientReason } from '@broker-monitor/contacts';
import {
  BrokenFileError,
  openStore,
  type Store,
  type StoreLock,
  type TrackingFile,
} from '@broker-monitor/csv-store';
import { loadMailTemplates, MailComposeError, type MailTemplates } from '@broker-monitor/mailer';
import { loadContacts } from './contacts-source.js';
import { openDelivery, openTransport, smtpUnavailable } from './delivery.js';
import { sendDigest } from './digest.js';
import { mailerFamilies, type SentMail } from './metrics.js';
import {
  type NodeMailOutcome,
  type NotifiedStatus,
  type NotifyContext,
  notifiedStatuses,
  notifyNode,
} from './notify-node.js';
import { readSilences, runSilenceCommand, SILENCE_COMMANDS } from './silence-command.js';

type Mode = 'send' | 'outbox' | 'dry-run' | 'check';
type Config = AppConfig<'email-service'>;

export function createApp(options: AppOptions = {}): AppDefinition {
  const now = options.now ?? (() => new Date());
  return {
    name: 'email-service',
    version: packageVersion(import.meta.url),
    summary: 'mails clinics whose node is offline, not importing or outdated',
    flags: {
      'dry-run': {
        type: 'boolean',
        description: 'print every mail that would go out (recipients, subject, text); change nothing',
        changesNothing: true,
      },
      outbox: {
        type: 'string',
        description:
          'write each mail as an .eml file into this folder instead of sending it (tracking is updated)',
      },
      digest: {
        type: 'boolean',
        description: 'send the weekly digest to SMTP.DIGEST_RECIPIENTS instead of the clinics’ mails',
      },
      check: {
        type: 'boolean',
        description: 'check config, mapping, contacts and the SMTP login; send and change nothing',
        changesNothing: true,
      },
      node: { type: 'string', description: 'silence add: the node id' },
      from: { type: 'string', description: 'silence add: first day or start (default: now)' },
      until: { type: 'string', description: 'silence add: last day (included) or end' },
      status: { type: 'string', description: 'silence add: the kinds of mail held back (default: all)' },
      reason: { type: 'string', description: 'silence add: why (required)' },
      all: { type: 'boolean', description: 'silence list: also the silences ended in the last 90 days' },
    },
    commands: SILENCE_COMMANDS,
    now,
    async main(context) {
      const mode = modeOf(context.flags);
      const config = await loadConfig(context.configPath, 'email-service');
      for (const warning of config.warnings) context.logger.warn(warning);
      await requireFolder(config.file, 'DIR.WORKING', config.dir.working);
      if (context.command[0] === 'silence') return runSilenceCommand(context.command, config, context, now);
      if (mode === 'check') return check(config, context);
      const digest = context.flags.digest === true;
      // A dry run and the digest only read: no lock, so not even the lock's folder appears.
      const lock =
        mode === 'dry-run' || digest ? undefined : await takeLock(config.dir.working, context, now);
      const sent: SentMail[] = [];
      try {
        return await (digest
          ? sendDigest(config, mode, context, now, sent)
          : notifyAll(config, mode, context, now, sent));
      } finally {
        // Also when the run stops early: the totals of the mails sent so far must not be lost.
        context.metrics.add(...mailerFamilies(context.metrics.previous, sent));
        await lock?.release();
      }
    },
  };
}

function modeOf(flags: AppContext['flags']): Mode {
  const chosen = [
    flags['dry-run'] === true ? '--dry-run' : undefined,
    typeof flags.outbox === 'string' ? '--outbox' : undefined,
    flags.check === true ? '--check' : undefined,
  ].filter((flag) => flag !== undefined);
  if (chosen.length > 1) throw new UsageError(`${chosen.join(' and ')} cannot be combined`);
  if (flags.digest === true && flags.check === true)
    throw new UsageError('--digest and --check cannot be combined');
  if (flags.outbox === '') throw new UsageError('--outbox needs a folder');
  if (flags['dry-run'] === true) return 'dry-run';
  if (typeof flags.outbox === 'string') return 'outbox';
  return flags.check === true ? 'check' : 'send';
}

async function takeLock(workingDir: string, context: AppContext, now: () => Date): Promise<StoreLock> {
  // This app writes the store (tracking files, sent-mail logs): one run at a time per working directory.
  const lock = await openStore(workingDir).lock('email-service', now());
  if (lock.tookOverFrom)
    context.logger.warn({ staleLock: lock.tookOverFrom }, 'took over the lock of a run that is gone');
  return lock;
}

async function notifyAll(
  config: Config,
  mode: Exclude<Mode, 'check'>,
  context: AppContext,
  now: () => Date,
  sent: SentMail[],
) {
  const { logger } = context;
  const mapping = await loadNodeMapping(config.confluence.mappingJson);
  for (const warning of mapping.warnings) logger.warn(warning);
  const { contacts, source } = await loadContacts(config);
  const templates = readTemplates(config);
  for (const [kind, from] of Object.entries(templates.sources)) {
    if (from !== 'shipped') logger.info({ kind, template: from }, `mail template ${kind}: ${from}`);
  }
  const delivery = await openDelivery(config, mode, context);
  try {
    const store = openStore(config.dir.working);
    const trackers = await openTrackers(store, notifiedStatuses(config.smtp), mode !== 'dry-run');
    const silences = await readSilences(store);
    const notify: NotifyContext = {
      store,
      aktin: config.aktin,
      smtp: config.smtp,
      contacts,
      contactsSource: source,
      templates,
      trackers,
      silences,
      delivery,
      now,
    };
    const outcomes = context.runOutcomes('node', () => now().getTime());
    // A node the mapping describes wrongly fails; the others go on (SPEC §6).
    for (const problem of mapping.problems) outcomes.failed(problem.nodeId, problem.message);
    let mails = 0;
    const bar = context.progress('nodes', mapping.nodes.length);
    for (const node of mapping.nodes) {
      const report = await notifyNode(node, notify);
      mails += report.mails.length;
      for (const mail of report.mails)
        sent.push({ nodeId: node.id, commonName: node.commonName, kind: mail.status });
      reportOutcome(node.id, report, outcomes, mode);
      bar.tick();
    }
    bar.done();
    if (mode === 'dry-run') {
      context.print(`dry run: ${mails} mail(s) would be sent; nothing was sent and no file was changed`);
    }
    return outcomes.finish({ mode, mails });
  } finally {
    delivery.close();
  }
}

async function openTrackers(
  store: Store,
  statuses: readonly NotifiedStatus[],
  create: boolean,
): Promise<Map<NotifiedStatus, TrackingFile | Error>> {
  const trackers = new Map<NotifiedStatus, TrackingFile | Error>();
  for (const status of statuses) {
    // A broken file fails its status for every node: mailing without knowing whom we mailed would spam.
    trackers.set(
      status,
      await store
        .openTracking(status, { create })
        .catch((error: unknown) => (error instanceof Error ? error : new Error(String(error)))),
    );
  }
  return trackers;
}

function reportOutcome(
  nodeId: string,
  report: NodeMailOutcome,
  outcomes: RunOutcomes,
  mode: Exclude<Mode, 'check'>,
): void {
  if (report.absent === 'no-folder') {
    outcomes.warning(nodeId, 'no folder in DIR.WORKING (never collected): no mail');
    return;
  }
  if (report.absent === 'no-stats') {
    outcomes.warning(nodeId, 'no stats row yet: no mail');
    return;
  }
  const fields = {
    status: report.status,
    mails: report.mails,
    cleared: report.cleared,
    ...(report.suppressed.length > 0 ? { suppressed: report.suppressed } : {}),
    ...(mode === 'send' ? {} : { mode }),
  };
  const [first, ...more] = report.failures;
  if (first !== undefined) {
    const error = more.length === 0 ? first : new Error(report.failures.map((e) => e.message).join('; '));
    if (more.length > 0) error.name = first.name;
    outcomes.failed(nodeId, error, { ...fields, warnings: report.warnings });
  } else if (report.warnings.length > 0) {
    outcomes.warning(nodeId, report.warnings.join('; '), fields);
  } else {
    outcomes.ok(nodeId, fields);
  }
}

/** `--check`: everything a run needs is there and answers; nothing is sent or written. */
async function check(config: Config, context: AppContext) {
  const { print } = context;
  print(`config: ${config.file} ok`);
  const mapping = await loadNodeMapping(config.confluence.mappingJson);
  print(`mapping: ${mapping.nodes.length} node(s) in ${mapping.file}`);
  for (const warning of mapping.warnings) print(`  warning: ${warning}`);
  for (const problem of mapping.problems) print(`  problem: ${problem.message}`);
  const { contacts, source } = await loadContacts(config);
  print(`contacts: ${contacts.length} row(s) from ${source}`);
  const unreachable = mapping.nodes.filter((node) => mailRecipients(contacts, node.id).length === 0);
  if (unreachable.length > 0) {
    print(
      `  no recipients for node(s) ${unreachable.map((node) => node.id).join(', ')}: they would get no mail`,
    );
    for (const node of unreachable) print(`    node ${node.id}: ${noRecipientReason(contacts, node.id)}`);
  }
  const templates = readTemplates(config);
  for (const [kind, from] of Object.entries(templates.sources)) {
    // Without ANOMALY_MAILS the output stays as it was before that mail existed.
    if (kind !== 'anomaly' || config.smtp.anomalyMails) print(`template ${kind}: ${from}`);
  }
  let broken = 0;
  const store = openStore(config.dir.working);
  for (const status of notifiedStatuses(config.smtp)) {
    const state = await store.openTracking(status, { create: false }).then(
      (tracker) => `${tracker.path} ok`,
      (error: unknown) => {
        broken++;
        const message = error instanceof Error ? error.message : String(error);
        return error instanceof BrokenFileError
          ? `${error.file} cannot be used: ${error.reason}`
          : `cannot be used: ${message}`;
      },
    );
    print(`tracking ${status}: ${state}`);
  }
  const transport = openTransport(config.smtp, config.file, config.requestsCaBundle);
  try {
    await transport.verify();
  } catch (error) {
    throw smtpUnavailable(error);
  } finally {
    transport.close();
  }
  print(
    `smtp: logged in to ${transport.host}:${transport.port} (${transport.security}) as ${config.smtp.username}`,
  );
  return mapping.problems.length > 0 || broken > 0 ? ExitCode.partial : ExitCode.ok;
}

/** The mail texts: shipped, or the Python-era files in DIR.RESOURCES; an unreadable one is a config error. */
function readTemplates(config: Config): MailTemplates {
  try {
    return loadMailTemplates(config.dir.resources);
  } catch (error) {
    if (!(error instanceof MailComposeError)) throw error;
    throw new ConfigError(config.file, [{ path: 'DIR.RESOURCES', message: error.message }]);
  }
}

async function requireFolder(configFile: string, key: string, path: string): Promise<void> {
  const isFolder = await stat(path).then(
    (info) => info.isDirectory(),
    () => false,
  );
  if (!isFolder) throw new ConfigError(configFile, [{ path: key, message: `folder ${path} not found` }]);
}
