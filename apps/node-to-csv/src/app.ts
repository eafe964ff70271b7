import {
  type AppContext,
  type AppDefinition,
  type AppOptions,
  ExitCode,
  forEachConcurrent,
  type Logger,
  packageVersion,
  ServiceUnavailableError,
} from '@broker-monitor/app-runtime';
import {
  type BrokerClient,
  BrokerHttpError,
  type BrokerNode,
  createBrokerClient,
  InvalidOptionError,
} from '@broker-monitor/broker-client';
import { type AppConfig, ConfigError, loadConfig, loadNodeMapping } from '@broker-monitor/config';
import { openStore, type Store } from '@broker-monitor/csv-store';
import { collectNode } from './collect-node.js';
import { collectorFamilies, type NodeFigures } from './metrics.js';

/** SPEC §6: all requests of one node together give up after this long. */
const NODE_BUDGET_MS = 60_000;

export function createApp(options: AppOptions = {}): AppDefinition {
  const now = options.now ?? (() => new Date());
  return {
    name: 'node-to-csv',
    version: packageVersion(import.meta.url),
    summary: 'collects the statistics, errors and resources of every broker node into the working directory',
    flags: {
      check: {
        type: 'boolean',
        description: 'check the config and reach the broker, change nothing',
        changesNothing: true,
      },
    },
    now,
    async main(context) {
      const { configPath, flags, logger, progress, print } = context;
      const config = await loadConfig(configPath, 'node-to-csv');
      for (const warning of config.warnings) logger.warn(warning);
      const broker = openBroker(config, options);
      try {
        if (flags.check) {
          const nodes = await reachBroker(broker);
          print(`config ok; broker ${config.broker.url} answers and lists ${nodes.length} nodes`);
          return ExitCode.ok;
        }
        // This app writes the store: one run at a time per working directory.
        const store = openStore(config.dir.working);
        const lock = await store.lock('node-to-csv', now());
        if (lock.tookOverFrom)
          logger.warn({ staleLock: lock.tookOverFrom }, 'took over the lock of a run that is gone');
        try {
          const nodes = await reachBroker(broker);
          return await collectAll(nodes, config, {
            broker,
            store,
            logger,
            progress: progress('collecting', nodes.length),
            now,
            app: context,
          });
        } finally {
          await lock.release();
        }
      } finally {
        await broker.close();
      }
    },
  };
}

/**
 * The client for `[BROKER]`. The config has checked the URL's form, but lets the example's
 * `CHANGEME` through (SPEC §6): a value the client cannot use is a configuration error naming its key.
 */
function openBroker(config: AppConfig<'node-to-csv'>, options: AppOptions): BrokerClient {
  try {
    return createBrokerClient({
      url: config.broker.url,
      apiKey: config.broker.apiKey,
      timeoutMs: config.broker.timeoutSeconds * 1000,
      concurrency: config.broker.concurrency,
      ...(config.requestsCaBundle ? { caBundlePath: config.requestsCaBundle } : {}),
      ...(options.retryDelayMs !== undefined ? { retryDelayMs: options.retryDelayMs } : {}),
    });
  } catch (error) {
    if (!(error instanceof InvalidOptionError)) throw error;
    const path = error.option === 'url' ? 'BROKER.URL' : 'BROKER.API_KEY';
    throw new ConfigError(config.file, [{ path, message: error.message }]);
  }
}

async function reachBroker(broker: BrokerClient): Promise<BrokerNode[]> {
  try {
    await broker.checkStatus();
    return await broker.listNodes();
  } catch (error) {
    const refused = error instanceof BrokerHttpError && (error.status === 401 || error.status === 403);
    throw new ServiceUnavailableError(
      `the broker ${refused ? 'refused the API key' : 'cannot be reached'}: ${(error as Error).message}`,
      refused ? 'BROKER.API_KEY' : 'BROKER.URL',
      { cause: error },
    );
  }
}

interface CollectContext {
  broker: BrokerClient;
  store: Store;
  logger: Logger;
  progress: { tick(): void };
  now: () => Date;
  app: Pick<AppContext, 'runOutcomes' | 'metrics'>;
}

async function collectAll(nodes: BrokerNode[], config: AppConfig<'node-to-csv'>, context: CollectContext) {
  const { broker, store, logger, progress, now, app } = context;
  const outcomes = app.runOutcomes('node');
  const answers = { fresh: 0, notModified: 0, notFound: 0 };
  const figures: NodeFigures[] = nodes.map((node) => ({ id: node.id, lastContact: node.lastContact }));
  await forEachConcurrent(nodes, config.broker.concurrency, async (node, index) => {
    try {
      const collected = await collectNode(broker, node, {
        store,
        now,
        signal: AbortSignal.timeout(NODE_BUDGET_MS),
      });
      answers.fresh += collected.answers.fresh;
      answers.notModified += collected.answers.notModified;
      answers.notFound += collected.answers.notFound;
      Object.assign(figures[index] as NodeFigures, {
        statsRow: collected.written.statsRow,
        answers: collected.answers,
      });
      const fields = {
        statsRow: collected.written.statsRow?.date,
        errorsAdded: collected.written.errorsAdded,
        resourceChanges: collected.written.resourceChanges,
        notModified: collected.answers.notModified,
      };
      if (collected.statsFound) outcomes.ok(node.id, fields);
      else
        outcomes.warning(
          node.id,
          'the node never uploaded import statistics (404); resources stored',
          fields,
        );
    } catch (error) {
      outcomes.failed(node.id, error);
    } finally {
      progress.tick();
    }
  });
  if (app.metrics.enabled) app.metrics.add(...collectorFamilies(figures, await nodeNames(config, logger)));
  return outcomes.finish({ nodes: nodes.length, answers });
}

/**
 * COMMON_NAME per node id from CONFLUENCE.MAPPING_JSON, for the metrics' `name` label. The
 * collector does not need the mapping otherwise: without one, or with one it cannot read, the
 * metrics carry only the node id.
 */
async function nodeNames(config: AppConfig<'node-to-csv'>, logger: Logger): Promise<Map<string, string>> {
  if (config.confluence === undefined) return new Map();
  try {
    const mapping = await loadNodeMapping(config.confluence.mappingJson);
    return new Map(mapping.nodes.map((node) => [node.id, node.commonName]));
  } catch (error) {
    // Metrics never fail a run.
    const reason = error instanceof Error ? error.message : String(error);
    logger.warn({ reason }, 'metrics without node names: CONFLUENCE.MAPPING_JSON cannot be used');
    return new Map();
  }
}
