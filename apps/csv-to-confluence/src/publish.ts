import { createHash } from 'node:crypto';
import { forEachConcurrent, type Logger, ServiceUnavailableError } from '@broker-monitor/app-runtime';
import {
  type ConfluenceConnection,
  confluenceStartFailure,
  PARENT_PAGE_TITLE,
} from '@broker-monitor/app-runtime/confluence';
import type { MappedNode } from '@broker-monitor/config';
import type { ConfluencePage } from '@broker-monitor/confluence-client';
import { pageContacts } from '@broker-monitor/contacts';
import type { HeatmapInputRow } from '@broker-monitor/heatmap';
import {
  isTemplateOutdated,
  type KeptPageParts,
  type NodePageView,
  readStoredPage,
  renderNodePage,
  renderSummaryPage,
  type SummaryRowView,
} from '@broker-monitor/page-render';
import { NO_STATS, readNodeReport } from './node-view.js';
import { logStepFailure, type ReportRun } from './run-context.js';
import { HEATMAP_FILE, renderHeatmap, type StoredSummary, storedSummary } from './summary.js';

export { PARENT_PAGE_TITLE };
/** Where the parent page is created when it is missing. */
export const ROOT_PAGE_TITLE = 'Support';
/** Start of the version message (and attachment comment) holding the hash of what we wrote. */
export const HASH_PREFIX = 'broker-monitor:';

/** The configured Confluence: client, space, and whether it is Cloud (CONFLUENCE.EMAIL set). */
export type ConfluenceTarget = ConfluenceConnection;

/**
 * A page without its body, which the run keeps for its version only: the parent's body is the
 * summary table, megabytes with 2000 nodes.
 */
export type ParentPage = Pick<ConfluencePage, 'id' | 'title' | 'version'>;

function withoutBody({ id, title, version }: ConfluencePage): ParentPage {
  return { id, title, version };
}

/**
 * A node page as found in Confluence, reduced to what a run needs of it: some 13 KB of body
 * become a few hundred bytes, so that all 2000 pages of a listing fit in little memory.
 */
export interface FoundPage extends ParentPage {
  /** `online_since` and notes, carried into the new render. */
  kept: KeptPageParts;
  versionTemplate: string | undefined;
  /** The page's summary values, for a node whose page is not rendered in this run. */
  summary: StoredSummary;
}

function foundPage(page: ConfluencePage): FoundPage {
  const stored = readStoredPage(page.body);
  return {
    ...withoutBody(page),
    kept: { onlineSince: stored.onlineSince, notes: stored.notes },
    versionTemplate: stored.versionTemplate,
    summary: storedSummary(stored),
  };
}

/** The node pages under the parent by title, read one listing page (100 pages) at a time. */
export async function listNodePages(
  target: ConfluenceTarget,
  parent: ParentPage,
): Promise<Map<string, FoundPage>> {
  const byTitle = new Map<string, FoundPage>();
  for await (const page of target.client.childPages(parent.id)) byTitle.set(page.title, foundPage(page));
  return byTitle;
}

/**
 * Runs a request of the run's start, where a failure means nothing can be done: Confluence
 * unreachable or refusing the credentials becomes a ServiceUnavailableError (exit 3) naming the
 * key to check.
 */
export async function atStart<T>(target: ConfluenceTarget, request: () => Promise<T>): Promise<T> {
  try {
    return await request();
  } catch (error) {
    throw confluenceStartFailure(error, target);
  }
}

/** The parent page; created under `Support` when missing. Neither page in the space: exit 3. */
export async function findOrCreateParent(target: ConfluenceTarget, logger: Logger): Promise<ParentPage> {
  const parent = await target.client.findPage(target.space, PARENT_PAGE_TITLE);
  if (parent !== undefined) return withoutBody(parent);
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
  const created = await target.client.createPage({
    title: PARENT_PAGE_TITLE,
    body: '',
    space: target.space,
    parentId: root.id,
  });
  return withoutBody(created);
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
export function nodePageMessage(view: NodePageView, stored: KeptPageParts | undefined): string {
  const { onlineSince, ...withoutStartDate } = view;
  return hashMessage(
    renderNodePage(withoutStartDate),
    stored?.onlineSince?.date ?? onlineSince ?? '',
    stored?.notes ?? '',
  );
}

type PageAction = 'created' | 'updated' | 'migrated' | 'unchanged';

/**
 * Publishes the node pages under the parent page, then the summary with the heatmap. `byTitle`
 * are the parent's children (listNodePages): a page is written only when its hash differs from
 * the one in its version message. Each is taken out of the map when its node's turn comes.
 * @returns the run-level steps that failed (summary, heatmap); node failures go to the outcomes.
 */
export async function publishToConfluence(
  run: ReportRun,
  target: ConfluenceTarget,
  parent: ParentPage,
  byTitle: Map<string, FoundPage>,
): Promise<string[]> {
  const summaries: (SummaryRowView | undefined)[] = new Array(run.nodes.length);
  const heatmapRows: (HeatmapInputRow | undefined)[] = new Array(run.nodes.length);
  const usable = withUniqueTitles(run);

  await forEachConcurrent(run.nodes, run.concurrency, async (node, index) => {
    if (!usable.has(node.id)) return;
    let page = byTitle.get(node.commonName);
    byTitle.delete(node.commonName);
    const staleRow = () =>
      page === undefined ? undefined : { nodeId: node.id, commonName: node.commonName, ...page.summary };
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
        const elsewhere = await target.client.findPage(target.space, node.commonName);
        page = elsewhere && foundPage(elsewhere);
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
    heatmapRows,
  );
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
 */
async function publishSummary(
  run: ReportRun,
  target: ConfluenceTarget,
  parent: ParentPage,
  rows: SummaryRowView[],
  heatmapRows: (HeatmapInputRow | undefined)[],
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
