// Raw SQL for benches: a tagged template that numbers its parameters for pg, and the pg module
// resolved from packages/db (the root package depends on neither pg nor its types).
import { createRequire } from 'node:module';
import type PgModule from '../../packages/db/node_modules/@types/pg/index.d.ts';

export const pg = createRequire(new URL('../../packages/db/package.json', import.meta.url))('pg') as typeof PgModule;
export type PgPool = InstanceType<typeof pg.Pool>;

export type Sql = { text: string; values: unknown[] };

/** sql`... ${value} ...` -> { text: '... $1 ...', values: [value] }; a nested Sql is spliced in. */
export function sql(strings: TemplateStringsArray, ...params: unknown[]): Sql {
  let text = strings[0] ?? '';
  const values: unknown[] = [];
  params.forEach((param, i) => {
    if (isSql(param)) {
      text += param.text.replace(/\$(\d+)/g, (_, n: string) => `$${Number(n) + values.length}`);
      values.push(...param.values);
    } else {
      values.push(param);
      text += `$${values.length}`;
    }
    text += strings[i + 1] ?? '';
  });
  return { text, values };
}

/** Joins fragments with a separator (e.g. ' AND '), renumbering their parameters. */
export function joinSql(parts: Sql[], separator: string): Sql {
  return parts.reduce<Sql>((acc, part, i) => (i === 0 ? part : sql`${acc}${raw(separator)}${part}`), raw(''));
}

/** Text spliced in as it is: only for constants written in the bench, never for values. */
export function raw(text: string): Sql {
  return { text, values: [] };
}

function isSql(value: unknown): value is Sql {
  return typeof value === 'object' && value !== null && 'text' in value && 'values' in value && Array.isArray((value as Sql).values);
}
