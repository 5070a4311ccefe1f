import { SelectQueryBuilder, ObjectLiteral } from 'typeorm';
import { badInput } from './errors';

/** Default and maximum page sizes of every list. */
export const DEFAULT_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 100;

export interface Page<T> {
  nodes: T[];
  hasNextPage: boolean;
}

export const encodeCursor = (id: string) => Buffer.from(id, 'utf8').toString('base64url');

export function decodeCursor(cursor: string): string {
  const id = Buffer.from(cursor, 'base64url').toString('utf8');
  if (!/^[0-9a-f-]{36}$/.test(id)) throw badInput({ after: ['is not a valid cursor'] });
  return id;
}

/** A page size (`first`) of 1–MAX_PAGE_SIZE, or a BAD_USER_INPUT naming `first`. */
export function checkPageSize(first: number): number {
  if (!Number.isInteger(first) || first < 1 || first > MAX_PAGE_SIZE) throw badInput({ first: [`must be between 1 and ${MAX_PAGE_SIZE}`] });
  return first;
}

/**
 * Keyset pagination over a time-ordered id (UUIDv7), oldest first (or newest first): stable under inserts, no
 * duplicates or gaps between pages, one index range scan per page.
 */
export async function pageById<T extends ObjectLiteral & { id: string }>(
  qb: SelectQueryBuilder<T>,
  args: { first?: number | null; after?: string | null; newestFirst?: boolean | null },
): Promise<Page<T>> {
  const first = checkPageSize(args.first ?? DEFAULT_PAGE_SIZE);
  const alias = qb.alias;
  // Newest first (the console's recent lists): `after` then pages toward older rows.
  if (args.after) qb.andWhere(`${alias}.id ${args.newestFirst ? '<' : '>'} :afterId`, { afterId: decodeCursor(args.after) });
  const rows = await qb.orderBy(`${alias}.id`, args.newestFirst ? 'DESC' : 'ASC').take(first + 1).getMany();
  return { nodes: rows.slice(0, first), hasNextPage: rows.length > first };
}

/** Escapes a literal for use inside a LIKE pattern with `ESCAPE '!'` (a backslash would escape MySQL's closing quote). */
export const likeLiteral = (s: string) => s.replace(/[!%_]/g, (c) => `!${c}`);
