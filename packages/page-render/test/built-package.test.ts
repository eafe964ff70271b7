import { expect, it } from 'vitest';
import { nodeView } from './views.js';

type PageRender = typeof import('../src/index.js');

// The templates ship next to dist/, read at run time; this is what an app importing the package gets.
it('finds its templates when used from dist/', async () => {
  const built: PageRender = await import(new URL('../dist/index.js', import.meta.url).href);
  const body = built.renderNodePage(nodeView());
  expect(built.readStoredPage(body).versionTemplate).toBe(built.TEMPLATE_VERSION);
  expect(built.reportStylesheet()).toContain('.lozenge-green');
});
