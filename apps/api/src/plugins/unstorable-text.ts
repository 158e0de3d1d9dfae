import fp from 'fastify-plugin';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { badRequest } from '../lib/errors.ts';

type Detail = { path: string; message: string };

const MAX_DETAILS = 10;

/**
 * Why Postgres could not take a string, whatever field it is in, or null: a NUL character
 * (refused in `text` and `jsonb`) or a lone surrogate half (refused in `jsonb` and by Prisma's
 * query encoding). Dates outside the years Postgres stores are refused by the date schemas
 * themselves (IsoDateTime and IsoDay in packages/contracts), where they are known to be dates.
 */
function unstorable(text: string): string | null {
  if (text.includes('\u0000')) return 'must not contain the NUL character (\\u0000)';
  if (/\p{Cs}/u.test(text)) return 'must be valid Unicode text (it has a lone surrogate half)';
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
