import { writeFileSync } from 'node:fs';
import { paperServer } from './support.ts';
const t = await paperServer();
writeFileSync('/tmp/tuiscratch/server.json', JSON.stringify({ url: t.url, tokens: t.tokens }));
console.log('ready', t.url);
await new Promise((r) => setTimeout(r, 400_000));
await t.close();
