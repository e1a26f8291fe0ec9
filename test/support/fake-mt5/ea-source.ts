import { readFileSync } from 'node:fs';

/**
 * What the bridge EA's MQL5 source (integrations/mt5/WardenBridge.mq5) says about its protocol,
 * read from the text without compiling it (there is no MetaEditor here): which command texts it
 * dispatches to which handler, the functions each handler reaches, and the reply keys, `_action`
 * and `_response` words written in the string literals of those functions. Comments are blanked
 * first, so a command or key named only in a comment does not count.
 */

export const EA_PATH = new URL('../../../integrations/mt5/WardenBridge.mq5', import.meta.url);

export interface EaSource {
  /** The text with comments blanked (same length and line breaks as the file). */
  readonly code: string;
  /** Top-level function bodies by name. */
  readonly functions: ReadonlyMap<string, string>;
  /** CommandOf's checks in order: the command head, the action (second field) if checked, the enum value returned. */
  readonly commandTable: readonly CommandEntry[];
  /** Reply's switch: enum value → the function that writes the reply. */
  readonly handlers: ReadonlyMap<string, string>;
  /** `input <type> NAME = value;` declarations. */
  readonly inputs: ReadonlyMap<string, string>;
}

export interface CommandEntry {
  readonly head: string;
  readonly action: string | undefined;
  readonly value: string;
}

export function readEaSource(path: URL = EA_PATH): EaSource {
  return parseEaSource(readFileSync(path, 'utf8'));
}

export function parseEaSource(text: string): EaSource {
  const code = blankComments(text);
  const functions = topLevelFunctions(code);
  const commandOf = functions.get('CommandOf');
  const reply = functions.get('Reply');
  if (commandOf === undefined || reply === undefined) throw new Error('the EA has no CommandOf or Reply function');
  const commandTable = [...commandOf.matchAll(/if\s*\(\s*head\s*==\s*"(\w+)"\s*(?:&&\s*action\s*==\s*"(\w+)"\s*)?\)\s*return\s*\(?\s*(CMD_\w+)/g)].map((m) => ({ head: m[1]!, action: m[2], value: m[3]! }));
  const handlers = new Map([...reply.matchAll(/case\s+(CMD_\w+)\s*:\s*return\s*\(?\s*(\w+)\s*\(/g)].map((m) => [m[1]!, m[2]!] as const));
  const inputs = new Map([...code.matchAll(/^\s*input\s+\w+\s+(\w+)\s*=\s*([^;]+);/gm)].map((m) => [m[1]!, m[2]!.trim()] as const));
  return { code, functions, commandTable, handlers, inputs };
}

/** The enum value the EA's CommandOf returns for a command text (its first matching check), or undefined. */
export function commandValueOf(ea: EaSource, text: string): string | undefined {
  const [head, action] = text.split(';');
  return ea.commandTable.find((e) => e.head === head && (e.action === undefined || e.action === action))?.value;
}

/** The functions `name` reaches by calling functions defined in the file, itself included. */
export function reachable(ea: EaSource, name: string): string[] {
  const seen = new Set<string>();
  const visit = (n: string) => {
    const body = ea.functions.get(n);
    if (body === undefined || seen.has(n)) return;
    seen.add(n);
    for (const m of stripStrings(body).matchAll(/\b(\w+)\s*\(/g)) if (ea.functions.has(m[1]!)) visit(m[1]!);
  };
  visit(name);
  return [...seen];
}

/** What the string literals of `functions` write: dict keys (`'key':`), `_action` and `_response` words. */
export function written(ea: EaSource, functions: readonly string[]): { keys: Set<string>; actions: Set<string>; responses: Set<string> } {
  const keys = new Set<string>();
  const actions = new Set<string>();
  const responses = new Set<string>();
  for (const f of functions) {
    for (const literal of stringLiterals(ea.functions.get(f) ?? '')) {
      for (const m of literal.matchAll(/'(\w+)'\s*:/g)) keys.add(m[1]!);
      for (const m of literal.matchAll(/'_action'\s*:\s*'(\w+)'/g)) actions.add(m[1]!);
      for (const m of literal.matchAll(/'_response'\s*:\s*'([^']+)'/g)) responses.add(m[1]!);
    }
  }
  return { keys, actions, responses };
}

/** The contents of the double-quoted MQL string literals in `code`, escapes resolved. */
export function stringLiterals(code: string): string[] {
  const out: string[] = [];
  for (const m of code.matchAll(/"((?:[^"\\\n]|\\.)*)"/g)) out.push(m[1]!.replace(/\\(.)/g, '$1'));
  return out;
}

function stripStrings(code: string): string {
  return code.replace(/"(?:[^"\\\n]|\\.)*"/g, '""').replace(/'(?:[^'\\\n]|\\.)'/g, "' '");
}

/** `//` and `/* *\/` comments replaced by spaces (line breaks kept), string and char literals left alone. */
function blankComments(text: string): string {
  let out = '';
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (c === '"' || c === "'") {
      const end = literalEnd(text, i);
      out += text.slice(i, end);
      i = end;
    } else if (text.startsWith('//', i)) {
      const end = text.indexOf('\n', i);
      const stop = end < 0 ? text.length : end;
      out += ' '.repeat(stop - i);
      i = stop;
    } else if (text.startsWith('/*', i)) {
      const end = text.indexOf('*/', i + 2);
      const stop = end < 0 ? text.length : end + 2;
      out += text.slice(i, stop).replace(/[^\n]/g, ' ');
      i = stop;
    } else {
      out += c;
      i++;
    }
  }
  return out;
}

/** Where the literal opened by the quote at `at` ends (past its closing quote, or at the line's end). */
function literalEnd(text: string, at: number): number {
  const quote = text[at];
  for (let i = at + 1; i < text.length; i++) {
    if (text[i] === '\\') i++;
    else if (text[i] === quote || text[i] === '\n') return i + 1;
  }
  return text.length;
}

/** Bodies of the functions defined at brace depth 0: a `{` whose header ends in `name(...)`. */
function topLevelFunctions(code: string): Map<string, string> {
  const out = new Map<string, string>();
  let depth = 0;
  let headerStart = 0;
  let bodyStart = -1;
  let name: string | undefined;
  for (let i = 0; i < code.length; i++) {
    const c = code[i]!;
    if (c === '"' || c === "'") {
      i = literalEnd(code, i) - 1;
    } else if (c === '{') {
      if (depth === 0) {
        name = /(\w+)\s*\([^()]*\)\s*(?:const\s*)?$/.exec(code.slice(headerStart, i))?.[1];
        bodyStart = i + 1;
      }
      depth++;
    } else if (c === '}') {
      depth--;
      if (depth === 0) {
        if (name !== undefined) out.set(name, code.slice(bodyStart, i));
        name = undefined;
        headerStart = i + 1;
      }
    } else if (c === ';' && depth === 0) {
      headerStart = i + 1;
    }
  }
  return out;
}
