import fp from 'fastify-plugin';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { badRequest } from '../lib/errors.ts';

type Detail = { path: string; message: string };

const MAX_DETAILS = 10;

const ISO_DATE = /^\d{4}-\d\d-\d\d$/;
const ISO_DATE_TIME = /^\d{4}-\d\d-\d\dT\d\d:\d\d(?::\d\d(?:\.\d+)?)?(?:Z|[+-]\d\d:?\d\d)?$/i;
// Postgres and Prisma store years 0001-9999; the day arithmetic of the stats (a 30-day default
// range, the day after `to`) needs a year of headroom on each side.
const EARLIEST = Date.parse('0002-01-01T00:00:00.000Z');
const LATEST = Date.parse('9998-12-31T23:59:59.999Z');

/**
 * Why Postgres could not take a string that passed (or will pass) validation, or null: a NUL
 * character (refused in `text` and `jsonb`), a lone surrogate half (refused in `jsonb` and by
 * Prisma's query encoding), or an ISO date outside the years Postgres stores.
 */
function unstorable(text: string): string | null {
  if (text.includes('\u0000')) return 'must not contain the NUL character (\\u0000)';
  if (/\p{Cs}/u.test(text)) return 'must be valid Unicode text (it has a lone surrogate half)';
  if (ISO_DATE.test(text) || ISO_DATE_TIME.test(text)) {
    const at = Date.parse(ISO_DATE.test(text) ? `${text}T00:00:00.000Z` : text);
    if (!Number.isNaN(at) && (at < EARLIEST || at > LATEST)) return 'must be a date between 0002-01-01 and 9998-12-31';
  }
  return null;
}

/**
 * Paths (`body.name`, `querystring.from`) of the strings and keys of a parsed request part that
 * Postgres cannot store. Without this check such input passes the zod schemas and fails in the
 * database with a 500. Walked with an explicit stack (a JSON body may nest hundreds of thousands
 * of levels) and a node's path is only built when it is reported.
 */
export function findUnstorableText(value: unknown, root: string): Detail[] {
  type Node = { value: unknown; key: string; parent: Node | null };
  const pathOf = (node: Node) => {
    const keys: string[] = [];
    for (let n: Node | null = node; n; n = n.parent) keys.push(n.key);
    return keys.reverse().join('.');
  };
  const found: Detail[] = [];
  const stack: Node[] = [{ value, key: root, parent: null }];
  while (stack.length > 0 && found.length < MAX_DETAILS) {
    const node = stack.pop()!;
    if (typeof node.value === 'string') {
      const message = unstorable(node.value);
      if (message) found.push({ path: pathOf(node), message });
    } else if (node.value !== null && typeof node.value === 'object' && !Buffer.isBuffer(node.value)) {
      for (const [key, child] of Object.entries(node.value)) {
        const childNode = { value: child, key, parent: node };
        const message = unstorable(key);
        if (message) found.push({ path: pathOf(childNode), message: `(the key) ${message}` });
        stack.push(childNode);
      }
    }
  }
  return found;
}

/** Answers 400 `validation_failed`, naming each field, for text Postgres cannot store in params, query or JSON body. */
export const unstorableTextPlugin = fp(
  async (app: FastifyInstance) => {
    app.addHook('preValidation', async (req: FastifyRequest) => {
      const details = [...findUnstorableText(req.params, 'params'), ...findUnstorableText(req.query, 'querystring'), ...findUnstorableText(req.body, 'body')];
      if (details.length > 0) {
        throw badRequest('validation_failed', `Invalid request: ${details.map((d) => `${d.path} ${d.message}`).join('; ')}`, details);
      }
    });
  },
  { name: 'unstorable-text' },
);
