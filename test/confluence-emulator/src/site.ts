import { type NormaliseOptions, normaliseStorage, StorageFormatError } from './storage-format.js';

/** An error the REST layer turns into Confluence's JSON error body with this status. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export interface PageVersion {
  number: number;
  message: string;
  minorEdit: boolean;
  when: Date;
  body: string;
}

export interface StoredPage {
  id: string;
  spaceKey: string;
  title: string;
  parentId: string | undefined;
  versions: PageVersion[];
}

export interface AttachmentVersion {
  number: number;
  comment: string;
  mediaType: string;
  minorEdit: boolean;
  when: Date;
  content: Buffer;
}

export interface StoredAttachment {
  id: string;
  pageId: string;
  fileName: string;
  versions: AttachmentVersion[];
}

export interface SiteOptions {
  spaces: readonly string[];
  now: () => Date;
  normalise: NormaliseOptions;
}

export interface NewPage {
  spaceKey: string;
  title: string;
  body: string;
  parentId?: string | undefined;
  versionMessage?: string | undefined;
  /** Seeding only: start at a later version number, e.g. a page edited for years. */
  versionNumber?: number | undefined;
}

export interface PageUpdate {
  id: string;
  title: string;
  body: string | undefined;
  versionNumber: number;
  versionMessage: string;
  minorEdit: boolean;
  parentId: string | undefined;
}

export interface NewAttachmentVersion {
  fileName: string;
  content: Buffer;
  mediaType: string;
  comment: string;
  minorEdit: boolean;
}

export const latest = <T>(versions: readonly T[]): T => versions[versions.length - 1] as T;

/** The content of one emulated Confluence instance: spaces, pages with their history, attachments. */
export class Site {
  readonly spaces: ReadonlySet<string>;
  private readonly pages = new Map<string, StoredPage>();
  private readonly attachments = new Map<string, StoredAttachment>();
  private nextId = 65537;

  constructor(private readonly options: SiteOptions) {
    this.spaces = new Set(options.spaces);
  }

  allPages(): StoredPage[] {
    return [...this.pages.values()];
  }

  page(id: string): StoredPage {
    const page = this.pages.get(id);
    if (!page) throw new ApiError(404, `No content found with id: ContentId{id=${id}}`);
    return page;
  }

  findPage(spaceKey: string, title: string): StoredPage | undefined {
    const wanted = title.toLowerCase();
    return this.allPages().find((p) => p.spaceKey === spaceKey && p.title.toLowerCase() === wanted);
  }

  children(parentId: string): StoredPage[] {
    this.page(parentId);
    return this.allPages().filter((p) => p.parentId === parentId);
  }

  ancestors(page: StoredPage): StoredPage[] {
    const chain: StoredPage[] = [];
    for (let id = page.parentId; id !== undefined; id = this.page(id).parentId) chain.unshift(this.page(id));
    return chain;
  }

  createPage(input: NewPage): StoredPage {
    if (!this.spaces.has(input.spaceKey)) throw new ApiError(404, `No space with key : ${input.spaceKey}`);
    if (input.title.trim() === '') throw new ApiError(400, 'Title cannot be empty');
    if (input.parentId !== undefined && this.page(input.parentId).spaceKey !== input.spaceKey) {
      throw new ApiError(400, 'The parent page must be in the same space as the page');
    }
    this.rejectDuplicateTitle(input.spaceKey, input.title, undefined);
    const page: StoredPage = {
      id: this.newId(),
      spaceKey: input.spaceKey,
      title: input.title,
      parentId: input.parentId,
      versions: [
        {
          number: input.versionNumber ?? 1,
          message: input.versionMessage ?? '',
          minorEdit: false,
          when: this.options.now(),
          body: this.normalise(input.body),
        },
      ],
    };
    this.pages.set(page.id, page);
    return page;
  }

  updatePage(input: PageUpdate): StoredPage {
    const page = this.page(input.id);
    const current = latest(page.versions);
    if (input.versionNumber !== current.number + 1) {
      throw new ApiError(409, `Version must be incremented on update. Current version is: ${current.number}`);
    }
    if (input.title.trim() === '') throw new ApiError(400, 'Title cannot be empty');
    this.rejectDuplicateTitle(page.spaceKey, input.title, page.id);
    if (input.parentId !== undefined) this.page(input.parentId);
    const body = input.body === undefined ? current.body : this.normalise(input.body);
    page.title = input.title;
    if (input.parentId !== undefined) page.parentId = input.parentId;
    page.versions.push({
      number: input.versionNumber,
      message: input.versionMessage,
      minorEdit: input.minorEdit,
      when: this.options.now(),
      body,
    });
    return page;
  }

  /** A person editing the page in the browser: a new version with the same body. */
  editByAnotherUser(pageId: string): void {
    const page = this.page(pageId);
    const current = latest(page.versions);
    page.versions.push({
      ...current,
      number: current.number + 1,
      message: 'edited by another user',
      when: this.options.now(),
    });
  }

  attachmentsOf(pageId: string): StoredAttachment[] {
    this.page(pageId);
    return [...this.attachments.values()].filter((a) => a.pageId === pageId);
  }

  attachment(pageId: string, attachmentId: string): StoredAttachment {
    const attachment = this.attachments.get(attachmentId);
    if (!attachment || attachment.pageId !== pageId) {
      throw new ApiError(404, `No attachment found with id: ContentId{id=${attachmentId}}`);
    }
    return attachment;
  }

  addAttachment(pageId: string, input: NewAttachmentVersion): StoredAttachment {
    if (this.attachmentsOf(pageId).some((a) => a.fileName === input.fileName)) {
      throw new ApiError(
        400,
        `Cannot add a new attachment with same file name as an existing attachment: ${input.fileName}`,
      );
    }
    const attachment: StoredAttachment = {
      id: `att${this.newId()}`,
      pageId,
      fileName: input.fileName,
      versions: [this.attachmentVersion(1, input)],
    };
    this.attachments.set(attachment.id, attachment);
    return attachment;
  }

  addAttachmentVersion(pageId: string, attachmentId: string, input: NewAttachmentVersion): StoredAttachment {
    const attachment = this.attachment(pageId, attachmentId);
    attachment.versions.push(this.attachmentVersion(latest(attachment.versions).number + 1, input));
    return attachment;
  }

  private attachmentVersion(number: number, input: NewAttachmentVersion): AttachmentVersion {
    return {
      number,
      comment: input.comment,
      mediaType: input.mediaType,
      minorEdit: input.minorEdit,
      when: this.options.now(),
      content: input.content,
    };
  }

  private rejectDuplicateTitle(spaceKey: string, title: string, ownId: string | undefined): void {
    const existing = this.findPage(spaceKey, title);
    if (existing && existing.id !== ownId) {
      throw new ApiError(
        400,
        `A page with this title already exists: A page already exists with the title ${title} in the space with key ${spaceKey}`,
      );
    }
  }

  private normalise(body: string): string {
    try {
      return normaliseStorage(body, this.options.normalise);
    } catch (error) {
      if (error instanceof StorageFormatError) throw new ApiError(400, error.message);
      throw error;
    }
  }

  private newId(): string {
    const id = String(this.nextId);
    this.nextId += 1;
    return id;
  }
}
