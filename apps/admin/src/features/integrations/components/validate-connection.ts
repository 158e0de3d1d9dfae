import { CreateConnectionInput, type Platform } from '@codetrack/contracts';
import { platformFields } from './platform-fields.ts';

export type ConnectionFormValues = Record<string, string>;

/**
 * Checks the form with the API's own schema, so a key of the wrong kind (a publishable key, a
 * pasted space) is caught here with the same rule, and builds the request body.
 */
export function validateConnectionForm(
  platform: Platform,
  values: ConnectionFormValues,
): { errors: Record<string, string>; input: CreateConnectionInput | null } {
  const labels = new Map(platformFields[platform].map((f) => [f.name, f.label]));
  labels.set('name', 'Name');
  labels.set('apiBaseUrl', 'API address');
  const body: Record<string, string> = { platform };
  for (const [key, value] of Object.entries(values)) {
    if (value.trim() !== '') body[key] = value;
  }
  const parsed = CreateConnectionInput.safeParse(body);
  if (parsed.success) return { errors: {}, input: parsed.data };
  const errors: Record<string, string> = {};
  for (const issue of parsed.error.issues) {
    const field = String(issue.path[0] ?? 'form');
    if (errors[field]) continue;
    errors[field] = `${labels.get(field) ?? field} ${issue.message}.`;
  }
  return { errors, input: null };
}
