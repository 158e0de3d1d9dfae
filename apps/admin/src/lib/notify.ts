import { notifications } from '@mantine/notifications';
import { reportUnexpected } from '@codetrack/web/form-errors';
import { describeApiError } from './describe-api-error.ts';

export function notifySuccess(message: string): void {
  notifications.show({ color: 'teal', message });
}

/** A toast with the error in one plain sentence. */
export function notifyError(error: unknown, title?: string): void {
  reportUnexpected(error);
  notifications.show({ color: 'red', title, message: describeApiError(error) });
}
