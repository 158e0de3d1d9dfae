// Assumed to match the minimum the API sets for partner portal passwords; keep the two in step.
export const PASSWORD_MIN_LENGTH = 10;

export function validateEmail(email: string): string | undefined {
  const trimmed = email.trim();
  if (trimmed === '') return 'Enter your email address.';
  if (!/^[^\s@]+@[^\s@]+$/.test(trimmed)) return 'Enter an email address like name@example.com.';
  return undefined;
}

// A password shorter than the minimum can never be right; saying so here spares a request that
// would only count against the login rate limit.
export function validateCurrentPassword(password: string): string | undefined {
  if (password === '') return 'Enter your password.';
  if (password.length < PASSWORD_MIN_LENGTH) return `Passwords are at least ${PASSWORD_MIN_LENGTH} characters long.`;
  return undefined;
}

/** Drops the fields without an error so `Object.keys` tells whether the form is valid. */
export function compactErrors<F extends string>(errors: Record<F, string | undefined>): Partial<Record<F, string>> {
  return Object.fromEntries(Object.entries(errors).filter(([, message]) => message !== undefined)) as Partial<
    Record<F, string>
  >;
}

export function validateNewPassword(password: string): string | undefined {
  if (password === '') return 'Choose a password.';
  if (password.length < PASSWORD_MIN_LENGTH) return `Use at least ${PASSWORD_MIN_LENGTH} characters.`;
  if (password.length > 200) return 'Use at most 200 characters.';
  return undefined;
}

export function validatePasswordConfirmation(password: string, confirmation: string): string | undefined {
  if (confirmation === '') return 'Type the password again.';
  if (confirmation !== password) return 'The two passwords are not the same.';
  return undefined;
}
