// Child process of the crash test: writes node collections day after day until it is killed.
import { writeNodeCollection } from '../../dist/collection.js';

const [workingDir] = process.argv.slice(2);
const start = Date.parse('2025-03-01T06:00:00Z');
for (let day = 0; ; day++) {
  const now = new Date(start + day * 86_400_000);
  for (let node = 1; node <= 5; node++) {
    await writeNodeCollection(
      workingDir,
      {
        nodeId: String(node),
        lastContact: now.toISOString(),
        stats: {
          start: '2025-03-01T08:00:00+01:00',
          imported: String(100 * day),
          updated: '0',
          invalid: String(day % 3),
          failed: '0',
          errors: [
            {
              timestamp: now.toISOString(),
              repeats: String(day),
              content: `error "${node}"; day\n${day % 7}`,
            },
          ],
        },
        resources: {
          versions: [
            ['os', `Ubuntu ${day % 4}`],
            [`k${day % 5}`, 'v'],
          ],
          rscript: day % 3 === 0 ? null : [['r', String(day)]],
          python: [],
          'import-scripts': [['p21', 'x'.repeat(day % 50)]],
        },
      },
      { now: () => now },
    );
    if (day === 0 && node === 1) process.send?.('first node written');
  }
}
