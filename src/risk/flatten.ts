/**
 * Orders the kill switch and breakers send to flatten positions carry this tag. The gate lets a
 * tagged order through a halt only if it is reduce-only and no larger than the position.
 */
export const FLATTEN_TAG = 'warden:flatten';
