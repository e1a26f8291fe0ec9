// Writes schema/warden.schema.json, the JSON Schema of the node config file, for editors.
import { mkdirSync, writeFileSync } from 'node:fs';
import { nodeConfigJsonSchema } from '../src/node/config/json-schema.ts';

mkdirSync('schema', { recursive: true });
writeFileSync('schema/warden.schema.json', nodeConfigJsonSchema());
console.log('wrote schema/warden.schema.json');
