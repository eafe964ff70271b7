// Benchmark: 2000 nodes × 42 days → matrix + PNG, in a fresh process (run `pnpm run build` first).
// Prints wall time and peak RSS; the target (SPEC issue 11) is < 10 s and < 150 MB together with
// rendering the 2000 node pages.
import { heatmapDates, heatmapMatrix, renderHeatmapPng } from '../dist/index.js';

const NODES = 2000;
const LAST_DATE = '2025-11-23';

let seed = 42;
function random() {
  seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
  return seed / 2_147_483_648;
}

// Input as the reporter builds it from the stats CSVs: some nodes started late, some days have no
// imports, a fifth of the nodes have errors.
const dates = heatmapDates(LAST_DATE);
const rows = Array.from({ length: NODES }, (_, index) => {
  const level = random() < 0.2 ? random() * 30 : random() * 0.5;
  return {
    nodeName: `[${index + 1}] Universitätsklinikum Beispielstadt ${index % 97}`,
    days: dates.slice(Math.floor(random() * random() * 30)).map((date) => ({
      date,
      dailyErrorRate: random() < 0.05 ? '-' : (random() * level).toFixed(2),
    })),
  };
});

const rssBefore = process.memoryUsage().rss;
const start = performance.now();
const matrix = heatmapMatrix(rows, LAST_DATE);
const matrixDone = performance.now();
const image = await renderHeatmapPng(matrix);
const end = performance.now();

const mb = (bytes) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;
console.log(`nodes ${NODES}, shown ${image.shownNodes}, hidden ${image.hiddenNodes}`);
console.log(`png ${image.width} × ${image.height} px, ${(image.png.length / 1024).toFixed(0)} KiB`);
console.log(`matrix ${(matrixDone - start).toFixed(0)} ms, render ${(end - matrixDone).toFixed(0)} ms`);
console.log(`wall ${(end - start).toFixed(0)} ms`);
console.log(`rss before ${mb(rssBefore)}, peak rss ${mb(process.resourceUsage().maxRSS * 1024)}`);
