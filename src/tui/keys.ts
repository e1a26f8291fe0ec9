/**
 * Terminal input to key names. Ink's own key object has no function keys, so the raw sequences
 * (xterm, VT220 and the Linux console's) are decoded here: one pure table, tested.
 */
export type KeyName =
  | 'f1' | 'f2' | 'f3' | 'f4' | 'f5' | 'f6'
  | 'tab' | 'shift-tab' | 'enter' | 'esc' | 'space' | 'backspace'
  | 'up' | 'down' | 'left' | 'right'
  | 'ctrl-c' | 'ctrl-p';

export type Key = { readonly name: KeyName } | { readonly char: string };

const SEQUENCES: Readonly<Record<string, KeyName>> = {
  '\x1bOP': 'f1', '\x1b[11~': 'f1', '\x1b[[A': 'f1',
  '\x1bOQ': 'f2', '\x1b[12~': 'f2', '\x1b[[B': 'f2',
  '\x1bOR': 'f3', '\x1b[13~': 'f3', '\x1b[[C': 'f3',
  '\x1bOS': 'f4', '\x1b[14~': 'f4', '\x1b[[D': 'f4',
  '\x1b[15~': 'f5', '\x1b[[E': 'f5',
  '\x1b[17~': 'f6',
  '\t': 'tab', '\x1b[Z': 'shift-tab',
  '\r': 'enter', '\n': 'enter',
  '\x1b': 'esc',
  ' ': 'space',
  '\x7f': 'backspace', '\b': 'backspace',
  '\x1b[A': 'up', '\x1bOA': 'up',
  '\x1b[B': 'down', '\x1bOB': 'down',
  '\x1b[C': 'right', '\x1bOC': 'right',
  '\x1b[D': 'left', '\x1bOD': 'left',
  '\x03': 'ctrl-c',
  '\x10': 'ctrl-p',
};

/**
 * One input event (Ink splits escape sequences into events) as keys: a known sequence is one key;
 * anything else key by key (two Tabs or a pasted word arrive as one event); unknown escapes and
 * other control characters are dropped.
 */
export function decodeKeys(data: string): Key[] {
  const named = SEQUENCES[data];
  if (named) return [{ name: named }];
  if (data.startsWith('\x1b')) return [];
  const keys: Key[] = [];
  for (const c of data) {
    const n = SEQUENCES[c];
    if (n) keys.push({ name: n });
    else if (c >= ' ' && c !== '\x7f') keys.push({ char: c });
  }
  return keys;
}

export function isNamed(k: Key, name: KeyName): boolean {
  return 'name' in k && k.name === name;
}

/** The typed character, case-folded (R and r are the same key). */
export function charOf(k: Key): string | undefined {
  return 'char' in k ? k.char.toLowerCase() : undefined;
}
