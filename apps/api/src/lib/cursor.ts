import { badRequest } from './errors.ts';

/** Keyset cursors: the (createdAt, id) of the last row seen, opaque to clients. */
export function encodeCursor(row: { createdAt: Date; id: string }): string {
  return Buffer.from(`${row.createdAt.toISOString()}|${row.id}`).toString('base64url');
}

// Exactly what the encoders write: a 4-digit-year ISO time and an id. Anything else that `new Date`
// accepts (year 0, six-digit years) or an id with a NUL would fail in the database with a 500.
const CURSOR_TEXT = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z)\|([\w-]{1,64})$/;

/** The time and id inside a keyset cursor, or 400 `invalid_cursor`. */
export function readCursor(cursor: string): { at: Date; id: string } {
  const match = CURSOR_TEXT.exec(Buffer.from(cursor, 'base64url').toString());
  const at = new Date(match?.[1] ?? '');
  if (!match?.[2] || Number.isNaN(at.getTime()) || at.getUTCFullYear() < 1) throw badRequest('invalid_cursor', 'The cursor is not valid; start again without it');
  return { at, id: match[2] };
}

export function decodeCursor(cursor: string | undefined): { createdAt: Date; id: string } | null {
  if (!cursor) return null;
  const { at, id } = readCursor(cursor);
  return { createdAt: at, id };
}

/**
 * Prisma `where` for rows after the cursor in (createdAt desc, id desc) order. The extra
 * `createdAt <= cursor` is implied by the OR, but only it lets Postgres start the index scan at
 * the cursor: without it a deep page filtered its way past every newer row (measured at 1,000,000
 * rows: 0.6-0.8 s at 75% depth, under 1 ms with it). Wrapped in AND so it never replaces a
 * caller's own createdAt or OR filter when spread into a `where`.
 */
export function afterCursor(cursor: { createdAt: Date; id: string } | null) {
  if (!cursor) return {};
  return {
    AND: [{ createdAt: { lte: cursor.createdAt } }, { OR: [{ createdAt: { lt: cursor.createdAt } }, { createdAt: cursor.createdAt, id: { lt: cursor.id } }] }],
  };
}

/** Splits one extra row off a page query into the next cursor. */
export function pageFrom<T extends { createdAt: Date; id: string }>(rows: T[], limit: number) {
  const items = rows.slice(0, limit);
  const last = items.at(-1);
  return { items, nextCursor: rows.length > limit && last ? encodeCursor(last) : null };
}
