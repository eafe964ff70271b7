/*
 * A run against Confluence (CONFLUENCE.URL set, no `--out`): the node pages under the parent
 * page, then the summary with the heatmap. Loaded only for such a run, so the local report does
 * not load the Confluence client and its HTTP stack.
 */
import type { AppContext, ExitCode } from '@broker-monitor/app-runtime';
import { openConfluence } from '@broker-monitor/app-runtime/confluence';
import type { AppConfig, MappedNode, NodeMapping } from '@broker-monitor/config';
import { ConfluenceHttpError } from '@broker-monitor/confluence-client';
import {
  isTemplateOutdated,
  type NodePageView,
  renderNodePage,
  renderSummaryPage,
} from '@broker-monitor/page-render';
import {
  atStart,
  type ConfluenceTarget,
  type FoundPage,
  findOrCreateParent,
  foundPage,
  listNodePages,
  PARENT_PAGE_TITLE,
  type ParentPage,
} from './confluence-pages.js';
import { loadContacts } from './contacts-source.js';
import { hashMessage, nodePageMessage } from './page-hash.js';
import { type PageDestination, type ReportedNodes, reportNodes } from './report-nodes.js';
import { finishReportRun, logStepFailure, type ReportRun, startReportRun } from './report-run.js';
import { HEATMAP_FILE, renderHeatmap } from './summary.js';

export async function publishRun(
  context: AppContext,
  config: AppConfig<'csv-to-confluence'>,
  mapping: NodeMapping,
  now: Date,
): Promise<ExitCode> {
  const target = openConfluence(config);
  try {
    const run = await startReportRun(context, config, mapping, now);
    const parent = await atStart(target, () => findOrCreateParent(target, context.logger));
    const [byTitle, contacts] = await Promise.all([
      atStart(target, () => listNodePages(target, parent)),
      loadContacts({ contactsFile: config.dir.contacts, confluence: target }, context.logger),
    ]);
    const reported = await reportNodes(
      run,
      contacts.contacts,
      confluenceDestination(run, target, parent, byTitle),
    );
    const failedSteps = await publishSummary(run, target, parent, reported);
    return finishReportRun(run, contacts.failure ? [...failedSteps, 'contacts'] : failedSteps);
  } finally {
    await target.client.close();
  }
}

type PageAction = 'created' | 'updated' | 'migrated' | 'unchanged';

/**
 * The node pages under the parent. `byTitle` are the parent's children (listNodePages): a page is
 * written only when its hash differs from the one in its version message. Each is taken out of
 * the map when its node's turn comes.
 */
function confluenceDestination(
  run: ReportRun,
  target: ConfluenceTarget,
  parent: ParentPage,
  byTitle: Map<string, FoundPage>,
): PageDestination {
  const usable = withUniqueTitles(run);
  const pages = new Map<string, FoundPage | undefined>();
  const pageOf = (node: MappedNode) => {
    if (!pages.has(node.id)) {
      pages.set(node.id, byTitle.get(node.commonName));
      byTitle.delete(node.commonName);
    }
    return pages.get(node.id);
  };
  return {
    noStatsReason: 'no stats row yet: page not written',
    usable: (node) => usable.has(node.id),
    staleRow(node) {
      const page = pageOf(node);
      return page === undefined
        ? undefined
        : { nodeId: node.id, commonName: node.commonName, ...page.summary };
    },
    async write(node, report) {
      const page = pageOf(node);
      try {
        return { page: await writeNodePage(target, parent, node, report.view, page) };
      } catch (error) {
        // Titles are unique in a space: a page not under the parent is looked for only when the
        // create says the title is taken, so a first run costs no search per page.
        if (page !== undefined || !(error instanceof ConfluenceHttpError) || !error.isTitleTaken) throw error;
        const elsewhere = await target.client.findPage(target.space, node.commonName);
        if (elsewhere === undefined) throw error;
        const moved = foundPage(elsewhere);
        pages.set(node.id, moved);
        run.logger.info(
          { node: node.id, page: moved.title, pageId: moved.id },
          `node ${node.id}: page "${moved.title}" found outside "${PARENT_PAGE_TITLE}"; updated where it is`,
        );
        return { page: await writeNodePage(target, parent, node, report.view, moved) };
      }
    },
  };
}

async function writeNodePage(
  target: ConfluenceTarget,
  parent: ParentPage,
  node: MappedNode,
  view: NodePageView,
  page: FoundPage | undefined,
): Promise<PageAction> {
  const versionMessage = nodePageMessage(view, page?.kept);
  if (page === undefined) {
    // Created complete in one request (the original creates, reads back and updates): the new
    // page carries its monitoring start date from the view, and the next run keeps it.
    await target.client.createPage({
      title: node.commonName,
      body: renderNodePage(view),
      space: target.space,
      parentId: parent.id,
      versionMessage,
    });
    return 'created';
  }
  if (page.version.message === versionMessage) return 'unchanged';
  await target.client.updatePage({
    id: page.id,
    title: node.commonName,
    body: renderNodePage(view, page.kept),
    version: page.version.number + 1,
    versionMessage,
    // A daily automatic update should not mail every watcher of the page.
    minorEdit: true,
  });
  return isTemplateOutdated(page.versionTemplate) ? 'migrated' : 'updated';
}

/** A COMMON_NAME used by two nodes would make them overwrite one page: the later node fails. */
function withUniqueTitles(run: ReportRun): Set<string> {
  const owners = new Map<string, string>();
  const usable = new Set<string>();
  for (const node of run.nodes) {
    const key = node.commonName.toLowerCase();
    const owner = owners.get(key);
    if (owner === undefined) {
      owners.set(key, node.id);
      usable.add(node.id);
    } else {
      run.outcomes.failed(
        node.id,
        `COMMON_NAME "${node.commonName}" is already the page title of node ${owner}`,
      );
    }
  }
  return usable;
}

/**
 * The parent page: summary table and heatmap. The PNG is uploaded only when its hash differs from
 * the attachment's comment (one attachment listing); the page only when its hash differs from its
 * version message.
 * @returns the run-level steps that failed (summary, heatmap); node failures went to the outcomes.
 */
async function publishSummary(
  run: ReportRun,
  target: ConfluenceTarget,
  parent: ParentPage,
  { summaries: rows, heatmap: ranking }: ReportedNodes,
): Promise<string[]> {
  const failedSteps: string[] = [];
  const fail = (step: string, error: unknown) => {
    failedSteps.push(step);
    logStepFailure(run.logger, step, error);
  };
  let heatmap: Awaited<ReturnType<typeof renderHeatmap>>;
  try {
    heatmap = await renderHeatmap(ranking);
    if (heatmap !== undefined) {
      const comment = hashMessage(heatmap.png);
      const existing = (await target.client.listAttachments(parent.id)).find(
        (a) => a.fileName === HEATMAP_FILE,
      );
      if (existing?.comment !== comment) {
        await target.client.uploadAttachment(parent.id, {
          fileName: HEATMAP_FILE,
          content: heatmap.png,
          mediaType: 'image/png',
          comment,
          minorEdit: true,
          existingId: existing?.id ?? null,
        });
      }
      run.logger.info({ step: 'heatmap', uploaded: existing?.comment !== comment }, 'heatmap: done');
    }
  } catch (error) {
    fail('heatmap', error);
  }
  try {
    const body = renderSummaryPage({
      rows,
      ...(heatmap ? { heatmap: { attachmentName: HEATMAP_FILE, caption: heatmap.caption } } : {}),
    });
    const versionMessage = hashMessage(body);
    const changed = parent.version.message !== versionMessage;
    if (changed) {
      await target.client.updatePage({
        id: parent.id,
        title: parent.title,
        body,
        version: parent.version.number + 1,
        versionMessage,
        minorEdit: true,
      });
    }
    run.logger.info(
      { step: 'summary', rows: rows.length, page: changed ? 'updated' : 'unchanged' },
      `summary: ${rows.length} rows, ${changed ? 'updated' : 'unchanged'}`,
    );
  } catch (error) {
    fail('summary', error);
  }
  return failedSteps;
}
