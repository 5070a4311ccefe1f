/** Texts kept at most. @default 500 */
export const TEXT_CACHE_SIZE = 500;
/** Longest text kept (with TEXT_CACHE_SIZE, bounds a cache to about 4 MB of text). @default 8_192 */
export const TEXT_CACHE_MAX_CHARS = 8_192;

/**
 * What was worked out from a query text alone (a limits verdict, a parsed and validated document),
 * kept for the last TEXT_CACHE_SIZE texts seen, first in first out: clients send the same few
 * documents again and again, and 10,000 subscribers of one document need one parse between them.
 * Longer texts are worked out every time and never kept.
 */
export class TextCache<V> {
  private readonly known = new Map<string, V>();

  constructor(private readonly work: (text: string) => V) {}

  get(text: string): V {
    const hit = this.known.get(text);
    if (hit !== undefined) return hit;
    const value = this.work(text);
    if (text.length <= TEXT_CACHE_MAX_CHARS) {
      if (this.known.size >= TEXT_CACHE_SIZE) this.known.delete(this.known.keys().next().value!);
      this.known.set(text, value);
    }
    return value;
  }
}
