import { createErrorDescriber } from '@codetrack/web/describe-api-error';

/** Turns any error from an API call into one plain sentence a merchant can act on. */
export const describeApiError = createErrorDescriber({
  invalid_credentials: 'That email and password do not match an account. Check them and try again.',
  network_error: 'We could not reach Codetrack. Check your internet connection and try again.',
  promotion_code_taken:
    'That code is already used in this workspace (codes stay reserved even after they are disabled). Pick one of the suggestions or another code.',
  coupon_discount_locked: 'This discount already exists on Stripe, where it cannot change. Create a new coupon for a different discount.',
  coupon_archived: 'This coupon is archived, so its codes cannot change.',
  program_archived: 'This program is archived. Unarchive it in its settings first.',
  connection_disabled: 'This connection is disabled. Connect the account again to sync.',
  reconcile_not_finished: 'The drift check has not finished yet. Wait for it to complete, then repair.',
  last_owner: 'A workspace needs at least one owner. Make someone else owner first.',
  unavailable: 'Codetrack is briefly unavailable. Please try again in a moment.',
});
