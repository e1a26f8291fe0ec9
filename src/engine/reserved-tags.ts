/**
 * Orders the kill switch and breakers send to flatten positions carry this tag. The gate lets a
 * tagged order through a halt only if it is reduce-only and no larger than the position.
 */
export const FLATTEN_TAG = 'warden:flatten';

/** Tags in Warden's own namespace (`warden:`) are risk control's: the engine refuses them from anyone else. */
export const RESERVED_TAG_PREFIX = 'warden:';

/** The first reserved tag among `tags`, if any. */
export function reservedTag(tags: readonly string[]): string | undefined {
  for (const t of tags) if (typeof t === 'string' && t.startsWith(RESERVED_TAG_PREFIX)) return t;
  return undefined;
}
