import { z } from 'zod';
import { nodeConfigSchema } from './schema.ts';

/**
 * The JSON Schema of warden.yaml for editors (yaml-language-server: `# yaml-language-server:
 * $schema=schema/warden.schema.json`), as the file is written: defaulted fields are optional.
 * `npm run docs:schema` writes it; a test checks the committed copy is current.
 */
export function nodeConfigJsonSchema(): string {
  const schema = z.toJSONSchema(nodeConfigSchema, { io: 'input', target: 'draft-2020-12' });
  return `${JSON.stringify({ ...schema, title: 'Warden node configuration (warden.yaml)' }, null, 2)}\n`;
}
