import { ApiError } from './api-client.ts';

export type FieldErrors<F extends string> = Partial<Record<F, string>>;

/** The API's validation messages for the fields this form shows. */
export function serverFieldErrors<F extends string>(error: unknown, fields: readonly F[]): FieldErrors<F> {
  const errors: FieldErrors<F> = {};
  if (!(error instanceof ApiError)) return errors;
  for (const field of fields) {
    const message = error.fieldMessage(field);
    if (message) errors[field] = message;
  }
  return errors;
}

/** Moves focus to the first field (in form order) that has an error, so keyboard users land on it. */
export function focusFirstInvalid<F extends string>(
  form: HTMLFormElement,
  fields: readonly F[],
  errors: FieldErrors<F>,
): boolean {
  const first = fields.find((field) => errors[field]);
  if (!first) return false;
  const element = form.elements.namedItem(first);
  if (element instanceof HTMLElement) element.focus();
  return true;
}

/** Errors the user could not have caused are worth a trace in the console. */
export function reportUnexpected(error: unknown): void {
  if (!(error instanceof ApiError)) console.error(error);
}
