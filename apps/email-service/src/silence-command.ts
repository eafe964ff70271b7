/*
 * `email-service <config.toml> silence add|list|expire`: the maintenance windows in the store.
 * Changes take the store's lock, so a mailing run never reads a half-changed set.
 */
import { randomBytes } from 'node:crypto';
import { userInfo } from 'node:os';
import { type AppContext, ExitCode, UsageError } from '@broker-monitor/app-runtime';
import { type AppConfig, ConfigError, loadNodeMapping } from '@broker-monitor/config';
import { openStore, type Store } from '@broker-monitor/csv-store';
import {
  expireSilence,
  formatSilences,
  listedSilences,
  newSilence,
  parseSilences,
  type Silence,
  SilenceInputError,
  SilencesFileError,
} from '@broker-monitor/silences';

export const SILENCE_COMMANDS = {
  'silence add --node ID --until DAY [--from DAY] [--status OFFLINE,NO_IMPORTS] --reason TEXT':
    'holds back the mails of a node (Europe/Berlin days, the end day included, or ISO date-times); prints its id',
  'silence list [--all]': 'active and upcoming silences (--all: also those ended in the last 90 days)',
  'silence expire ID': 'ends a silence now',
};

/** The silences in the store. @throws ConfigError naming the file when it cannot be read. */
export async function readSilences(store: Store): Promise<Silence[]> {
  const { file, text } = await store.readSilences();
  try {
    return parseSilences(text, file);
  } catch (error) {
    if (error instanceof SilencesFileError) {
      throw new ConfigError(
        error.file,
        [{ path: '', message: error.message.slice(error.file.length + 2) }],
        'unreadable silences',
      );
    }
    throw error;
  }
}

export async function runSilenceCommand(
  words: readonly string[],
  config: AppConfig<'email-service'>,
  context: AppContext,
  now: () => Date,
): Promise<ExitCode> {
  const [, action, ...rest] = words;
  const store = openStore(config.dir.working);
  if (action === 'list') {
    const silences = listedSilences(await readSilences(store), now(), context.flags.all === true);
    context.print(silences.length === 0 ? 'no silences' : silences.map(silenceLine).join('\n'));
    return ExitCode.ok;
  }
  if (action !== 'add' && action !== 'expire') {
    throw new UsageError(
      `silence: say add, list or expire${action === undefined ? '' : `, not "${action}"`}`,
    );
  }
  const lock = await store.lock('email-service', now());
  try {
    const silences = await readSilences(store);
    try {
      if (action === 'add') {
        const added = await addedSilence(config, context, now());
        await store.writeSilences(formatSilences([...silences, added]));
        context.logger.info({ silence: added }, `silence ${added.id} added for node ${added.node}`);
        context.print(added.id);
      } else {
        const id = rest[0];
        if (id === undefined) throw new UsageError('silence expire: the id of the silence is needed');
        await store.writeSilences(formatSilences(expireSilence(silences, id, now())));
        context.logger.info({ silence: id }, `silence ${id} expired`);
        context.print(`silence ${id} expired`);
      }
    } catch (error) {
      if (error instanceof SilenceInputError) throw new UsageError(`silence ${action}: ${error.message}`);
      throw error;
    }
    return ExitCode.ok;
  } finally {
    await lock.release();
  }
}

async function addedSilence(config: AppConfig<'email-service'>, context: AppContext, now: Date) {
  const mapping = await loadNodeMapping(config.confluence.mappingJson);
  const text = (name: string) => {
    const value = context.flags[name];
    return typeof value === 'string' ? value : undefined;
  };
  return newSilence(
    {
      node: text('node'),
      from: text('from'),
      until: text('until'),
      status: text('status'),
      reason: text('reason'),
    },
    {
      now,
      nodes: new Set([...mapping.nodes.map((node) => node.id), ...mapping.problems.map((p) => p.nodeId)]),
      author: loginName(),
      id: `s${randomBytes(4).toString('hex')}`,
    },
  );
}

function loginName(): string {
  try {
    return userInfo().username;
  } catch {
    // A container user without a passwd entry.
    return process.env.USER ?? process.env.LOGNAME ?? 'unknown';
  }
}

function silenceLine(silence: Silence): string {
  const end = silence.expired ? `${silence.until} (expired ${silence.expired})` : silence.until;
  return [
    silence.id,
    `node ${silence.node}`,
    `${silence.from} – ${end}`,
    silence.kinds.join(','),
    `${silence.reason} (${silence.author})`,
  ].join('  ');
}
