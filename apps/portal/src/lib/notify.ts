import { reportUnexpected } from '@codetrack/web/form-errors';
import { describeApiError } from './describe-api-error.ts';

// Loaded on first use, like the Notifications container in app/provider.tsx.
const loadNotifications = () => import('@mantine/notifications').then((m) => m.notifications);

export function notifySuccess(message: string): void {
  void loadNotifications().then((n) => n.show({ color: 'teal', message }));
}

/** A toast with the error in one plain sentence. */
export function notifyError(error: unknown, title?: string): void {
  reportUnexpected(error);
  const message = describeApiError(error);
  void loadNotifications().then((n) => n.show({ color: 'red', title, message }));
}
