/** A view model value the pages cannot hold (a programming error in the caller's mapping). */
export class PageRenderError extends Error {
  override readonly name = 'PageRenderError';
}
