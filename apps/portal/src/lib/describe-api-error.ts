import { createErrorDescriber } from '@codetrack/web/describe-api-error';

/** Turns any error from an API call into one plain sentence a partner can act on. */
export const describeApiError = createErrorDescriber({
  invalid_credentials: 'That email and password do not match a partner account in this program. Check them and try again.',
  network_error: 'We could not reach the partner portal. Check your internet connection and try again.',
});
