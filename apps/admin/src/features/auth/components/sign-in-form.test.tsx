import { render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { jsonResponse, mockApi, requestBody } from '@codetrack/web/testing/mock-api';
import { session } from '../../../testing/fixtures.ts';
import { SignInForm } from './sign-in-form.tsx';

function renderForm() {
  const onSignedIn = vi.fn();
  const user = userEvent.setup();
  render(<SignInForm onSignedIn={onSignedIn} />);
  return { onSignedIn, user };
}

async function fillAndSubmit(user: ReturnType<typeof userEvent.setup>, email: string, password: string) {
  if (email) await user.type(screen.getByLabelText('Email'), email);
  if (password) await user.type(screen.getByLabelText('Password'), password);
  await user.click(screen.getByRole('button', { name: 'Sign in' }));
}

describe('SignInForm', () => {
  it('shows field errors for an empty form and does not call the API', async () => {
    const fetchMock = mockApi({});
    const { user, onSignedIn } = renderForm();

    await user.click(screen.getByRole('button', { name: 'Sign in' }));

    const email = screen.getByLabelText('Email');
    expect(email.getAttribute('aria-invalid')).toBe('true');
    const describedBy = email.getAttribute('aria-describedby') ?? '';
    expect(document.getElementById(describedBy)?.textContent).toBe('Enter your email address.');
    expect(screen.getByText('Enter your password.')).toBeTruthy();
    expect(document.activeElement).toBe(email);
    expect(fetchMock).not.toHaveBeenCalled();
    expect(onSignedIn).not.toHaveBeenCalled();
  });

  it('rejects a password shorter than 10 characters without calling the API', async () => {
    const fetchMock = mockApi({});
    const { user } = renderForm();

    await fillAndSubmit(user, 'ada@example.com', 'short');

    const password = screen.getByLabelText('Password');
    expect(password.getAttribute('aria-invalid')).toBe('true');
    expect(screen.getByText('Passwords are at least 10 characters long.')).toBeTruthy();
    expect(screen.getByLabelText('Email').getAttribute('aria-invalid')).toBeNull();
    expect(fetchMock).not.toHaveBeenCalled();
  });

  it('posts email and password, disables submit while pending, then reports the session', async () => {
    let answer: (response: Response) => void = () => {};
    const fetchMock = mockApi({
      'POST /api/auth/login': () => new Promise<Response>((resolve) => (answer = resolve)),
    });
    const { user, onSignedIn } = renderForm();

    await fillAndSubmit(user, 'ada@example.com', 'correct horse battery');

    const pendingButton = screen.getByRole('button', { name: 'Signing in…' });
    expect((pendingButton as HTMLButtonElement).disabled).toBe(true);
    expect(fetchMock).toHaveBeenCalledTimes(1);
    const [url, init] = fetchMock.mock.calls[0] ?? [];
    expect(url).toBe('/api/auth/login');
    expect(init?.method).toBe('POST');
    expect(init?.credentials).toBe('include');
    expect(new Headers(init?.headers).get('content-type')).toBe('application/json');
    expect(requestBody(fetchMock)).toEqual({ email: 'ada@example.com', password: 'correct horse battery' });

    answer(jsonResponse(200, session));
    await waitFor(() => expect(onSignedIn).toHaveBeenCalledWith(session));
  });

  it('explains wrong credentials in a plain sentence', async () => {
    mockApi({
      'POST /api/auth/login': () =>
        jsonResponse(401, { error: { code: 'invalid_credentials', message: 'Invalid email or password' } }),
    });
    const { user, onSignedIn } = renderForm();

    await fillAndSubmit(user, 'ada@example.com', 'wrong password!');

    expect((await screen.findByRole('alert')).textContent).toBe(
      'That email and password do not match an account. Check them and try again.',
    );
    expect((screen.getByRole('button', { name: 'Sign in' }) as HTMLButtonElement).disabled).toBe(false);
    expect(onSignedIn).not.toHaveBeenCalled();
  });

  it('tells the user how long to wait when rate limited', async () => {
    mockApi({
      'POST /api/auth/login': () =>
        jsonResponse(429, { error: { code: 'rate_limited', message: 'Rate limit exceeded' } }, { 'retry-after': '30' }),
    });
    const { user } = renderForm();

    await fillAndSubmit(user, 'ada@example.com', 'correct horse battery');

    expect((await screen.findByRole('alert')).textContent).toBe(
      'Too many attempts. Please wait 30 seconds and try again.',
    );
  });

  it('puts the API validation messages next to the fields they belong to', async () => {
    mockApi({
      'POST /api/auth/login': () =>
        jsonResponse(400, {
          error: {
            code: 'validation_failed',
            message: 'body/email must match format "email"',
            details: [{ path: 'body.email', message: 'This email address is not valid.' }],
          },
        }),
    });
    const { user } = renderForm();

    await fillAndSubmit(user, 'ada@localhost', 'correct horse battery');

    expect((await screen.findByRole('alert')).textContent).toBe(
      'Some of the details you entered are not valid. Check the highlighted fields.',
    );
    expect(screen.getByLabelText('Email').getAttribute('aria-invalid')).toBe('true');
    expect(screen.getByText('This email address is not valid.')).toBeTruthy();
  });
});
