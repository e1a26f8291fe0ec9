/**
 * Colours by role, never by name in a component. "matrix": green on black (the default);
 * "plain": for light terminals. NO_COLOR (any value) turns every colour off.
 */
export interface Theme {
  readonly name: ThemeName;
  /** Colours off (NO_COLOR): components then mark state with text only. */
  readonly mono: boolean;
  readonly text?: string;
  readonly dim?: string;
  readonly accent?: string;
  readonly good?: string;
  readonly bad?: string;
  readonly warn?: string;
  readonly border?: string;
  readonly focus?: string;
  readonly background?: string;
}

export const THEME_NAMES = ['matrix', 'plain'] as const;
export type ThemeName = (typeof THEME_NAMES)[number];

const THEMES: Readonly<Record<ThemeName, Omit<Theme, 'mono'>>> = {
  matrix: { name: 'matrix', text: 'green', dim: 'greenBright', accent: 'greenBright', good: 'greenBright', bad: 'red', warn: 'yellow', border: 'green', focus: 'whiteBright', background: 'black' },
  plain: { name: 'plain', text: 'black', dim: 'gray', accent: 'blue', good: 'green', bad: 'red', warn: 'magenta', border: 'gray', focus: 'blue' },
};

export function isThemeName(v: string): v is ThemeName {
  return (THEME_NAMES as readonly string[]).includes(v);
}

/** The theme by name; with `noColor` (NO_COLOR set) a theme without colours. */
export function themeOf(name: ThemeName, noColor: boolean): Theme {
  if (noColor) return { name, mono: true };
  return { ...THEMES[name], mono: false };
}

/** NO_COLOR: set to anything (even empty, as no-color.org says) means no colour. */
export function noColorIn(env: NodeJS.ProcessEnv): boolean {
  return env.NO_COLOR !== undefined;
}
