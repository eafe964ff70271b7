import { createHash } from 'node:crypto';
import { forEachConcurrent, type Logger, ServiceUnavailableError } from '@broker-monitor/app-runtime';
import type { MappedNode } from '@broker-monitor/config';
import {
  type ConfluenceConnection,
  ConfluenceError,
  ConfluenceHttpError,
  type ConfluencePage,
} from '@broker-monitor/confluence-client';
import { pageContacts } from '@broker-monitor/contacts';
import type { HeatmapInputRow } from '@broker-monitor/heatmap';
import {
  isTemplateOutdated,
  type NodePageView,
  readStoredPage,
  renderNodePage,
  renderSummaryPage,
  type StoredPage,
  type SummaryRowView,
} from '@broker-monitor/page-render';
import { NO_STATS, readNodeReport } from './node-view.js';
import { logStepFailure, type ReportRun } from './run-context.js';
import { HEATMAP_FILE, renderHeatmap, storedSummaryRow } from './summary.js';

/** The page that holds the summary and under which the node pages live. */
export const PARENT_PAGE_TITLE = 'Support Log Broker-Monitor';
/** Where the parent page is created when it is missing. */
export const ROOT_PAGE_TITLE = 'Support';
/** Start of the version message (and attachment comment) holding the hash of what we wrote. */
export const HASH_PREFIX = 'broker-monitor:';

/** The configured Confluence: client, space, and whether it is Cloud (CONFLUENCE.EMAIL set). */
export type ConfluenceTarget = ConfluenceConnection;

/**
 * Runs a request of the run's start, where a failure means nothing can be done: Confluence
 * unreachable or refusing the credentials becomes a ServiceUnavailableError (exit 3) naming the
 * key to check.
 */
export async function atStart<T>(target: ConfluenceTarget, request: () => Promise<T>): Promise<T> {
  try {
    return await request();
  } catch (error) {
    if (error instanceof ConfluenceHttpError && error.isAuthFailure) {
      throw new ServiceUnavailableError(
        `Confluence refused our credentials or their permission (HTTP ${error.status})`,
        target.cloud ? 'CONFLUENCE.EMAIL and CONFLUENCE.TOKEN' : 'CONFLUENCE.TOKEN',
        { cause: error },
      );
    }
    if (error instanceof ConfluenceError) {
      throw new ServiceUnavailableError(`Confluence is not usable: ${error.message}`, 'CONFLUENCE.URL', {
        cause: error,
      });
    }
    throw error;
  }
}

/** The parent page; created under `Support` when missing. Neither page in the space: exit 3. */
export async function findOrCreateParent(target: ConfluenceTarget, logger: Logger): Promise<ConfluencePage> {
  const parent = await target.client.findPage(target.space, PARENT_PAGE_TITLE);
  if (parent !== undefined) return parent;
  const root = await target.client.findPage(target.space, ROOT_PAGE_TITLE);
  if (root === undefined) {
    throw new ServiceUnavailableError(
      `space ${target.space} has neither the page "${PARENT_PAGE_TITLE}" nor the page "${ROOT_PAGE_TITLE}" to create it under; create one of them`,
      'CONFLUENCE.SPACE',
    );
  }
  logger.info(
    { page: PARENT_PAGE_TITLE },
    `creating the page "${PARENT_PAGE_TITLE}" under "${ROOT_PAGE_TITLE}"`,
  );
  return target.client.createPage({
    title: PARENT_PAGE_TITLE,
    body: '',
    space: target.space,
    parentId: root.id,
  });
}

/** `broker-monitor:<sha256 hex>` of the given parts. */
export function hashMessage(...parts: (string | Uint8Array)[]): string {
  const hash = createHash('sha256');
  for (const part of parts) hash.update(part).update('\0');
  return `${HASH_PREFIX}${hash.digest('hex')}`;
}

/**
 * The version message of a node page: the hash of what we render, with the two parts kept from
 * the stored page in a form Confluence does not rewrite. Confluence normalises the stored body
 * (`<time …></time>` becomes `<time … />`, macros get ids), so the body itself cannot be compared,
 * and the kept `online_since` cell is hashed as its date, the notes as stored.
 */
export function nodePageMessage(view: NodePageView, stored: StoredPage | undefined): string {
  const { onlineSince, ...withoutStartDate } = view;
  return hashMessage(
    renderNodePage(withoutStartDate),
    stored?.onlineSince?.date ?? onlineSince ?? '',
    stored?.notes ?? '',
  );
}

type PageAction = 'created' | 'updated' | 'migrated' | 'unchanged';

/**
 * Publishes the node pages under the parent page, then the summary with the heatmap. `listed`
 * are the parent's children as one paged listing returned them (body and version): a page is
 * written only when its hash differs from the one in its version message.
 * The listed pages are taken over (`listed` is left empty) and each is let go once its node is
 * done: with 2000 nodes their bodies are some 25 MB, which should not still be held while the
 * heatmap is drawn.
 * @returns the run-level steps that failed (summary, heatmap); node failures go to the outcomes.
 */
export async function publishToConfluence(
  run: ReportRun,
  target: ConfluenceTarget,
  parent: ConfluencePage,
  listed: ConfluencePage[],
): Promise<string[]> {
  const byTitle = new Map(listed.splice(0).map((page) => [page.title, page]));
  const summaries: (SummaryRowView | undefined)[] = new Array(run.nodes.length);
  const heatmapRows: (HeatmapInputRow | undefined)[] = new Array(run.nodes.length);
  const usable = withUniqueTitles(run);

  await forEachConcurrent(run.nodes, run.concurrency, async (node, index) => {
    if (!usable.has(node.id)) return;
    let page = byTitle.get(node.commonName);
    byTitle.delete(node.commonName);
    const staleRow = () => (page === undefined ? undefined : safeStoredRow(node, page, run.logger));
    if (!run.withFolder.has(node.id)) {
      summaries[index] = staleRow();
      return;
    }
    try {
      const report = await readNodeReport(run.workingDir, node, pageContacts(run.contacts, node.id), run.now);
      if (report === NO_STATS) {
        run.outcomes.warning(node.id, 'no stats row yet: page not written');
        summaries[index] = staleRow();
        return;
      }
      if (page === undefined) {
        page = await target.client.findPage(target.space, node.commonName);
        if (page !== undefined) {
          run.logger.info(
            { node: node.id, page: page.title, pageId: page.id },
            `node ${node.id}: page "${page.title}" found outside "${PARENT_PAGE_TITLE}"; updated where it is`,
          );
        }
      }
      const action = await writeNodePage(target, parent, node, report.view, page);
      summaries[index] = report.summary;
      heatmapRows[index] = report.heatmap;
      run.outcomes.ok(node.id, { status: report.view.status.title, page: action });
    } catch (error) {
      run.outcomes.failed(node.id, error);
      summaries[index] = staleRow();
    } finally {
      run.progress.tick();
    }
  });

  return publishSummary(
    run,
    target,
    parent,
    summaries.filter((row) => row !== undefined),
    heatmapRows.filter((row) => row !== undefined),
  );
}

async function writeNodePage(
  target: ConfluenceTarget,
  parent: ConfluencePage,
  node: MappedNode,
  view: NodePageView,
  page: ConfluencePage | undefined,
): Promise<PageAction> {
  const stored = page === undefined ? undefined : readStoredPage(page.body);
  const versionMessage = nodePageMessage(view, stored);
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
    body: renderNodePage(view, { body: page.body }),
    version: page.version.number + 1,
    versionMessage,
    // A daily automatic update should not mail every watcher of the page.
    minorEdit: true,
  });
  return isTemplateOutdated(stored?.versionTemplate) ? 'migrated' : 'updated';
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

function safeStoredRow(node: MappedNode, page: ConfluencePage, logger: Logger): SummaryRowView | undefined {
  try {
    return storedSummaryRow(node, page.body);
  } catch (error) {
    logger.warn(
      `node ${node.id}: page "${page.title}" cannot be read for the summary: ${(error as Error).message}`,
    );
    return undefined;
  }
}

/**
 * The parent page: summary table and heatmap. The PNG is uploaded only when its hash differs from
 * the attachment's comment (one attachment listing); the page only when its hash differs from its
 * version message.
 */
async function publishSummary(
  run: ReportRun,
  target: ConfluenceTarget,
  parent: ConfluencePage,
  rows: SummaryRowView[],
  heatmapRows: HeatmapInputRow[],
): Promise<string[]> {
  const failedSteps: string[] = [];
  const fail = (step: string, error: unknown) => {
    failedSteps.push(step);
    logStepFailure(run.logger, step, error);
  };
  let heatmap: Awaited<ReturnType<typeof renderHeatmap>>;
  try {
    heatmap = await renderHeatmap(heatmapRows, run.now);
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
