import type { Page, PageQuery } from './types.js';

/**
 * Walks every page of a list call, yielding items one by one:
 * `for await (const m of paginate((q) => client.registry.listMembers(orgId, q))) …`
 * `limit` sets the page size; the cursor is managed here.
 */
export async function* paginate<T>(
  fn: (query: PageQuery) => Promise<Page<T>>,
  options: { limit?: number } = {},
): AsyncGenerator<T, void, undefined> {
  let cursor: string | undefined;
  const seen = new Set<string>();
  for (;;) {
    const query: PageQuery = {};
    if (options.limit !== undefined) query.limit = options.limit;
    if (cursor !== undefined) query.cursor = cursor;
    const page = await fn(query);
    yield* page.items;
    if (!page.nextCursor) return;
    // A server answering the same cursor twice would loop forever; stop instead.
    if (seen.has(page.nextCursor)) throw new Error('paginate: the server repeated a cursor');
    seen.add(page.nextCursor);
    cursor = page.nextCursor;
  }
}
