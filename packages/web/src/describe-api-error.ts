import { ApiError } from './api-client.ts';

/** One app's sentences for API error codes, in the words of that app's users. */
export type ErrorMessages = Readonly<Partial<Record<string, string>>>;

/**
 * Builds the function that turns any error from an API call into one plain sentence a person can
 * act on: the app's own sentence for the code first, then the ones every app shares, then the
 * API's message (written for people) for codes the app does not know yet.
 */
export function createErrorDescriber(messages: ErrorMessages): (error: unknown) => string {
  return (error) => {
    if (!(error instanceof ApiError)) return unexpected;
    const own = Object.hasOwn(messages, error.code) ? messages[error.code] : undefined;
    if (own) return own;

    switch (error.code) {
      case 'rate_limited':
        return `Too many attempts. Please wait ${describeWait(error.retryAfterSeconds)} and try again.`;
      case 'validation_failed':
        return 'Some of the details you entered are not valid. Check the highlighted fields.';
      case 'network_error':
        return 'We could not reach the server. Check your internet connection and try again.';
      case 'csrf_invalid':
        return 'Your session needs refreshing. Reload the page and try again.';
    }
    if (error.status >= 500) return 'Something went wrong on our side. Please try again in a moment.';
    if (error.status === 401) return 'Your session has ended. Please sign in again.';
    if (error.status === 403) return 'You do not have permission to do that.';
    return error.code === 'unexpected_response' || error.message === '' ? unexpected : error.message;
  };
}

const unexpected = 'Something unexpected went wrong. Please try again.';

function describeWait(seconds: number | null): string {
  if (seconds === null || seconds <= 0) return 'a minute';
  if (seconds < 90) return seconds === 1 ? '1 second' : `${seconds} seconds`;
  return `${Math.ceil(seconds / 60)} minutes`;
}
