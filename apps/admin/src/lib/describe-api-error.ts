import { ApiError } from './api-client.ts';

/** Turns any error from an API call into one plain sentence a merchant can act on. */
export function describeApiError(error: unknown): string {
  if (!(error instanceof ApiError)) return 'Something unexpected went wrong. Please try again.';

  switch (error.code) {
    case 'invalid_credentials':
      return 'That email and password do not match an account. Check them and try again.';
    case 'rate_limited':
      return `Too many attempts. Please wait ${describeWait(error.retryAfterSeconds)} and try again.`;
    case 'validation_failed':
      return 'Some of the details you entered are not valid. Check the highlighted fields.';
    case 'network_error':
      return 'We could not reach Codetrack. Check your internet connection and try again.';
    case 'csrf_invalid':
      return 'Your session needs refreshing. Reload the page and try again.';
    case 'promotion_code_taken':
      return 'That code is already used in this workspace (codes stay reserved even after they are disabled). Pick one of the suggestions or another code.';
    case 'coupon_discount_locked':
      return 'This discount already exists on Stripe, where it cannot change. Create a new coupon for a different discount.';
    case 'coupon_archived':
      return 'This coupon is archived, so its codes cannot change.';
    case 'program_archived':
      return 'This program is archived. Unarchive it in its settings first.';
    case 'connection_disabled':
      return 'This connection is disabled. Connect the account again to sync.';
    case 'reconcile_not_finished':
      return 'The drift check has not finished yet. Wait for it to complete, then repair.';
    case 'last_owner':
      return 'A workspace needs at least one owner. Make someone else owner first.';
    case 'unavailable':
      return 'Codetrack is briefly unavailable. Please try again in a moment.';
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
