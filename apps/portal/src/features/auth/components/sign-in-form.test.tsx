import { MantineProvider } from '@mantine/core';
import { render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { jsonResponse, mockApi, requestBody } from '@codetrack/web/testing/mock-api';
import { partnerSession } from '../../../testing/fixtures.ts';
import { SignInForm } from './sign-in-form.tsx';

function renderForm() {
  const onSignedIn = vi.fn();
  const user = userEvent.setup();
  render(
    <MantineProvider>
      <SignInForm programId="prg_1" onSignedIn={onSignedIn} />
    </MantineProvider>,
  );
  return { onSignedIn, user };
}

async function fillAndSubmit(user: ReturnType<typeof userEvent.setup>, email: string, password: string) {
  if (email) await user.type(screen.getByLabelText('Email'), email);
  if (password) await user.type(screen.getByLabelText('Password'), password);
  await user.click(screen.getByRole('button', { name: 'Sign in' }));
}

describe('SignInForm (portal)', () => {
  it('shows field errors for an empty email and a short password without calling the API', async () => {
    const fetchMock = mockApi({});
    const { user, onSignedIn } = renderForm();

    await fillAndSubmit(user, '', 'short');

    const email = screen.getByLabelText('Email');
    expect(email.getAttribute('aria-invalid')).toBe('true');
    expect(document.getElementById(email.getAttribute('aria-describedby') ?? '')?.textContent).toBe(
      'Enter your email address.',
    );
    const password = screen.getByLabelText('Password');
    expect(password.getAttribute('aria-invalid')).toBe('true');
    expect(document.getElementById(password.getAttribute('aria-describedby') ?? '')?.textContent).toBe(
      'Passwords are at least 10 characters long.',
    );
    expect(fetchMock).not.toHaveBeenCalled();
    expect(onSignedIn).not.toHaveBeenCalled();
  });

  it('posts email, password and the program id, disabling submit while pending', async () => {
    let answer: (response: Response) => void = () => {};
    const fetchMock = mockApi({
      'POST /api/portal/login': () => new Promise<Response>((resolve) => (answer = resolve)),
    });
    const { user, onSignedIn } = renderForm();

    await fillAndSubmit(user, 'grace@example.com', 'correct horse battery');

    expect((screen.getByRole('button', { name: 'Signing in…' }) as HTMLButtonElement).disabled).toBe(true);
    const [url, init] = fetchMock.mock.calls[0] ?? [];
    expect(url).toBe('/api/portal/login');
    expect(init?.method).toBe('POST');
    expect(init?.credentials).toBe('include');
    expect(requestBody(fetchMock)).toEqual({
      email: 'grace@example.com',
      password: 'correct horse battery',
      programId: 'prg_1',
    });

    answer(jsonResponse(200, partnerSession));
    await waitFor(() => expect(onSignedIn).toHaveBeenCalledWith(partnerSession));
  });

  it('explains wrong credentials in a plain sentence', async () => {
    mockApi({
      'POST /api/portal/login': () =>
        jsonResponse(401, { error: { code: 'invalid_credentials', message: 'Invalid email or password' } }),
    });
    const { user, onSignedIn } = renderForm();

    await fillAndSubmit(user, 'grace@example.com', 'wrong password!');

    expect((await screen.findByRole('alert')).textContent).toBe(
      'That email and password do not match a partner account in this program. Check them and try again.',
    );
    expect((screen.getByRole('button', { name: 'Sign in' }) as HTMLButtonElement).disabled).toBe(false);
    expect(onSignedIn).not.toHaveBeenCalled();
  });

  it('asks the partner to wait when rate limited', async () => {
    mockApi({
      'POST /api/portal/login': () =>
        jsonResponse(429, { error: { code: 'rate_limited', message: 'Rate limit exceeded' } }, { 'retry-after': '120' }),
    });
    const { user } = renderForm();

    await fillAndSubmit(user, 'grace@example.com', 'correct horse battery');

    expect((await screen.findByRole('alert')).textContent).toBe(
      'Too many attempts. Please wait 2 minutes and try again.',
    );
  });
});
