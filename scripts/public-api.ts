/**
 * The public surface: every name each entry point of package.json `exports` exports (types
 * included; a namespace export lists its members as `ns.member`), read with the TypeScript
 * compiler. test/public-api.test.ts holds them to the committed test/public-api.json, so adding or
 * removing a public name is a deliberate change: `npm run api:names` rewrites the list.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const root = new URL('../', import.meta.url);

/** Entry point (as imported: 'warden', 'warden/risk', ...) → its source file, from package.json exports. */
export function entryPoints(): Record<string, string> {
  const pkg = JSON.parse(readFileSync(new URL('package.json', root), 'utf8')) as { name: string; exports: Record<string, { import: string }> };
  const out: Record<string, string> = {};
  for (const [key, target] of Object.entries(pkg.exports)) {
    const source = target.import.replace(/^\.\/dist\//, 'src/').replace(/\.js$/, '.ts');
    out[key === '.' ? pkg.name : `${pkg.name}/${key.slice(2)}`] = fileURLToPath(new URL(source, root));
  }
  return out;
}

export function publicNames(): Record<string, string[]> {
  const entries = entryPoints();
  const program = ts.createProgram(Object.values(entries), {
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    target: ts.ScriptTarget.ES2022,
    allowImportingTsExtensions: true,
    noEmit: true,
    skipLibCheck: true,
    types: ['node'],
  });
  const checker = program.getTypeChecker();
  const out: Record<string, string[]> = {};
  for (const [name, file] of Object.entries(entries)) {
    const source = program.getSourceFile(file);
    const module = source && checker.getSymbolAtLocation(source);
    if (!module) throw new Error(`${name}: ${file} is not a module`);
    out[name] = checker
      .getExportsOfModule(module)
      .flatMap((s) => {
        const target = s.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(s) : s;
        const isNamespace = target.flags & ts.SymbolFlags.ValueModule && target.valueDeclaration && ts.isSourceFile(target.valueDeclaration);
        return isNamespace ? checker.getExportsOfModule(target).map((m) => `${s.name}.${m.name}`) : [s.name];
      })
      .sort();
  }
  return out;
}

export const NAMES_FILE = fileURLToPath(new URL('test/public-api.json', root));

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  writeFileSync(NAMES_FILE, `${JSON.stringify(publicNames(), null, 2)}\n`);
}
