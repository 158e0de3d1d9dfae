import { ApiError } from './api-client.ts';

/** Turns any error from an API call into one plain sentence a partner can act on. */
export function describeApiError(error: unknown): string {
  if (!(error instanceof ApiError)) return 'Something unexpected went wrong. Please try again.';

  switch (error.code) {
    case 'invalid_credentials':
      return 'That email and password do not match a partner account in this program. Check them and try again.';
    case 'rate_limited':
      return `Too many attempts. Please wait ${describeWait(error.retryAfterSeconds)} and try again.`;
    case 'validation_failed':
      return 'Some of the details you entered are not valid. Check the highlighted fields.';
    case 'csrf_invalid':
      return 'Your session needs refreshing. Reload the page and try again.';
    case 'network_error':
      return 'We could not reach the partner portal. Check your internet connection and try again.';
  }
  if (error.status >= 500) return 'Something went wrong on our side. Please try again in a moment.';
  if (error.status === 401) return 'Your session has ended. Please sign in again.';
  if (error.status === 403) return 'You do not have permission to do that.';
  // Codes this app does not know yet: the API's message is written for people.
  return error.code === 'unexpected_response' || error.message === ''
    ? 'Something unexpected went wrong. Please try again.'
    : error.message;
}

function describeWait(seconds: number | null): string {
  if (seconds === null || seconds <= 0) return 'a minute';
  if (seconds < 90) return seconds === 1 ? '1 second' : `${seconds} seconds`;
  return `${Math.ceil(seconds / 60)} minutes`;
}
