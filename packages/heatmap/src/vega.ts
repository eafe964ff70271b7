// The part of Vega and Vega-Lite the heatmap uses. The build bundles this module with everything
// it imports into one file (bundle-vega.mjs): loaded as some 400 separate ES modules, the two
// libraries cost a process about 10 MB more memory.
export { parse, View } from 'vega';
export { compile } from 'vega-lite';
