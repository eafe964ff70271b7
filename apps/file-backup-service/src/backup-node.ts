import { createHash } from 'node:crypto';
import type { ConfluenceAttachment, ConfluenceClient } from '@broker-monitor/confluence-client';
import type { BackupFile } from '@broker-monitor/csv-store';
import type { Limiter } from '@broker-monitor/http-transport';

export interface NodeBackup {
  client: ConfluenceClient;
  pageId: string;
  files: readonly BackupFile[];
  /** A file's bytes (the store's readBackupFile). */
  read: (file: BackupFile) => Promise<Buffer>;
  /** Shared by all nodes: bounds the files read and uploaded at once (and so the memory they take). */
  limit: Limiter;
}

export interface NodeBackupResult {
  uploaded: string[];
  unchanged: string[];
  failed: { file: string; error: unknown }[];
}

/**
 * Uploads a node's files as attachments of its page: a new attachment, or a new version of the one
 * with the same name. A file whose sha256 equals the one kept in the current attachment's comment is
 * not uploaded again. One attachment listing for the page; a failed file does not stop the others.
 * Throws when the listing fails: without it no file can be compared.
 */
export async function backupNode(backup: NodeBackup): Promise<NodeBackupResult> {
  const { client, pageId, files, read, limit } = backup;
  const attachments = new Map<string, ConfluenceAttachment>();
  for (const attachment of await client.listAttachments(pageId)) {
    attachments.set(attachment.fileName, attachment);
  }
  const result: NodeBackupResult = { uploaded: [], unchanged: [], failed: [] };
  const outcomes = await Promise.all(
    files.map((file) =>
      limit(async () => {
        try {
          // Read once: the hash and the upload come from the same bytes.
          const content = await read(file);
          const hash = sha256(content);
          const existing = attachments.get(file.name);
          if (existing !== undefined && isSameContent(existing, hash, content.length)) return 'unchanged';
          await client.uploadAttachment(pageId, {
            fileName: file.name,
            content,
            mediaType: file.mediaType,
            comment: hashComment(hash),
            // A daily backup is no news for the page's watchers.
            minorEdit: true,
            existingId: existing?.id ?? null,
          });
          return 'uploaded';
        } catch (error) {
          return { error };
        }
      }),
    ),
  );
  outcomes.forEach((outcome, index) => {
    const file = (files[index] as BackupFile).name;
    if (outcome === 'uploaded') result.uploaded.push(file);
    else if (outcome === 'unchanged') result.unchanged.push(file);
    else result.failed.push({ file, error: outcome.error });
  });
  return result;
}

function sha256(content: Uint8Array): string {
  return createHash('sha256').update(content).digest('hex');
}

/** The attachment comment that records what was uploaded. */
export function hashComment(hash: string): string {
  return `sha256:${hash}`;
}

/** The hash recorded in an attachment comment, if any (attachments of the Python version have none). */
export function hashFromComment(comment: string): string | undefined {
  return /\bsha256:([0-9a-f]{64})\b/i.exec(comment)?.[1]?.toLowerCase();
}

function isSameContent(attachment: ConfluenceAttachment, hash: string, size: number): boolean {
  if (attachment.fileSize !== undefined && attachment.fileSize !== size) return false;
  return hashFromComment(attachment.comment) === hash;
}
