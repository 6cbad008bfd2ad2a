/**
 * TypeBox shapes every service shares: the problem body, ids, cursor pagination. Cursors are opaque to clients
 * (base64url JSON) and checked against a schema when decoded, so a forged cursor is a 400, never a 500.
 */
import { Type, type Static, type TSchema } from 'typebox';
import { Value } from 'typebox/value';
import { httpErrors } from './errors.js';

export const FieldErrorSchema = Type.Object({
  in: Type.Optional(Type.String()),
  path: Type.String(),
  message: Type.String(),
});

/** RFC 9457 problem details as this API emits them (content type application/problem+json). */
export const ProblemSchema = Type.Object(
  {
    type: Type.String(),
    title: Type.String(),
    status: Type.Integer(),
    detail: Type.Optional(Type.String()),
    code: Type.String({ description: 'stable machine-readable code, e.g. REGISTRY_SUPPLIER_NOT_FOUND' }),
    instance: Type.Optional(Type.String()),
    correlationId: Type.String(),
    errors: Type.Optional(Type.Array(FieldErrorSchema)),
  },
  { description: 'RFC 9457 problem details' },
);
export type ProblemBody = Static<typeof ProblemSchema>;

export const Uuid = Type.String({ format: 'uuid' });

export const CursorQuery = Type.Object(
  {
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 20 })),
    cursor: Type.Optional(Type.String({ minLength: 1, maxLength: 512 })),
  },
  { additionalProperties: false },
);
export type CursorQueryType = Static<typeof CursorQuery>;

export const DEFAULT_PAGE_SIZE = 20;

export function Paginated<T extends TSchema>(item: T) {
  return Type.Object({
    items: Type.Array(item),
    nextCursor: Type.Union([Type.String(), Type.Null()]),
  });
}

/** Opaque cursor: base64url of the JSON of the position (e.g. `{ createdAt, id }` of the last item). */
export function encodeCursor(position: unknown): string {
  return Buffer.from(JSON.stringify(position), 'utf8').toString('base64url');
}

/**
 * Reverses encodeCursor; anything that is not base64url JSON matching `schema` throws a 400 INVALID_CURSOR.
 * Pass the schema: a cursor is client input like any other.
 */
export function decodeCursor<S extends TSchema>(cursor: string, schema: S): Static<S> {
  if (cursor.length > 512 || !/^[A-Za-z0-9_-]+$/.test(cursor)) throw httpErrors.INVALID_CURSOR();
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw httpErrors.INVALID_CURSOR();
  }
  if (!Value.Check(schema, value)) throw httpErrors.INVALID_CURSOR();
  return value;
}
