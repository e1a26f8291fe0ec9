import { readFileSync } from 'node:fs';

/** Top frames by self time of a V8 .cpuprofile (the JSON `node --cpu-prof` writes). */
interface ProfileNode { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; hitCount?: number }
interface Profile { nodes: ProfileNode[]; samples: number[] }

const file = process.argv[2];
const top = Number(process.argv[3] ?? 5);
if (file === undefined) throw new Error('usage: top-frames.ts FILE.cpuprofile [count]');
const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;
const byFrame = new Map<string, number>();
let total = 0;
for (const node of profile.nodes) {
  const hits = node.hitCount ?? 0;
  total += hits;
  const { functionName, url, lineNumber } = node.callFrame;
  const key = `${functionName || '(anonymous)'} ${url.replace(/^.*\/(src|bench|node_modules)\//, '$1/')}:${lineNumber + 1}`;
  byFrame.set(key, (byFrame.get(key) ?? 0) + hits);
}
const rows = [...byFrame].sort((a, b) => b[1] - a[1]).slice(0, top);
for (const [key, hits] of rows) console.log(`${((100 * hits) / total).toFixed(1).padStart(5)}%  ${key}`);
