import type { App } from '../../src/app.ts';

/** The parts of the API's OpenAPI document the security matrices read. */
export type Schema = {
  $ref?: string;
  type?: string | string[];
  properties?: Record<string, Schema>;
  required?: string[];
  enum?: unknown[];
  items?: Schema;
  anyOf?: Schema[];
  oneOf?: Schema[];
  allOf?: Schema[];
  minimum?: number;
  format?: string;
  minLength?: number;
  pattern?: string;
  const?: unknown;
  default?: unknown;
};
export type Operation = { requestBody?: { content?: Record<string, { schema?: Schema }> } };
export type Spec = { paths: Record<string, Record<string, Operation>>; components?: { schemas?: Record<string, Schema> } };
export type Route = { method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE'; path: string; params: string[]; operation: Operation };

/** The API's own OpenAPI document: the route list every matrix is generated from. */
export async function loadSpec(app: App): Promise<Spec> {
  return (await app.inject({ method: 'GET', url: '/docs/json' })).json() as Spec;
}

/** Every operation of the document with the names of its path parameters. */
export function listRoutes(spec: Spec): Route[] {
  const routes: Route[] = [];
  for (const [path, operations] of Object.entries(spec.paths)) {
    const params = [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!);
    for (const [method, operation] of Object.entries(operations)) {
      if (!['get', 'post', 'put', 'patch', 'delete'].includes(method)) continue;
      routes.push({ method: method.toUpperCase() as Route['method'], path, params, operation });
    }
  }
  return routes;
}

/** A minimal body that satisfies a JSON schema, so the request gets past validation to the tenant check. */
export function sampleOf(schema: Schema | undefined, spec: Spec, depth = 0): unknown {
  if (!schema || depth > 6) return undefined;
  if (schema.$ref) return sampleOf(spec.components?.schemas?.[schema.$ref.split('/').pop()!], spec, depth + 1);
  if (schema.const !== undefined) return schema.const;
  if (schema.default !== undefined) return schema.default;
  if (schema.enum) return schema.enum[0];
  const variants = schema.anyOf ?? schema.oneOf;
  if (variants) return sampleOf(variants.find((v) => v.type !== 'null') ?? variants[0], spec, depth + 1);
  if (schema.allOf) return Object.assign({}, ...schema.allOf.map((x) => sampleOf(x, spec, depth + 1) as object));
  const type = Array.isArray(schema.type) ? schema.type.find((t) => t !== 'null') : schema.type;
  switch (type) {
    case 'object': {
      const out: Record<string, unknown> = {};
      for (const key of schema.required ?? []) out[key] = sampleOf(schema.properties?.[key], spec, depth + 1);
      return out;
    }
    case 'array':
      return [];
    case 'integer':
    case 'number':
      return Math.max(1, schema.minimum ?? 1);
    case 'boolean':
      return false;
    case 'string':
      if (schema.format === 'email') return 'someone@example.test';
      if (schema.format === 'date-time') return '2030-01-01T00:00:00.000Z';
      if (schema.format === 'uri') return 'https://example.test/';
      return 'ABCDEFGH12'.slice(0, Math.max(schema.minLength ?? 3, 3) + 5);
    default:
      return undefined;
  }
}

/** The sample JSON body of an operation, if it takes one. */
export function sampleBodyOf(route: Route, spec: Spec): unknown {
  return sampleOf(route.operation.requestBody?.content?.['application/json']?.schema, spec);
}
