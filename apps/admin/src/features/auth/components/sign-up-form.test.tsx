import { render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { jsonResponse, mockApi, requestBody } from '@codetrack/web/testing/mock-api';
import { session } from '../../../testing/fixtures.ts';
import { SignUpForm } from './sign-up-form.tsx';

describe('SignUpForm', () => {
  it('requires every field and a 10-character password before calling the API', async () => {
    const fetchMock = mockApi({});
    const user = userEvent.setup();
    render(<SignUpForm onSignedIn={vi.fn()} />);

    await user.type(screen.getByLabelText('Email'), 'ada@example.com');
    await user.type(screen.getByLabelText('Password'), '123456789');
    await user.click(screen.getByRole('button', { name: 'Create account' }));

    expect(screen.getByText('Enter your name.')).toBeTruthy();
    expect(screen.getByText('Use at least 10 characters.')).toBeTruthy();
    expect(screen.getByText('Enter a name for your workspace.')).toBeTruthy();
    // The hint stays announced alongside the error.
    const password = screen.getByLabelText('Password');
    expect(password.getAttribute('aria-describedby')?.split(' ')).toHaveLength(2);
    expect(fetchMock).not.toHaveBeenCalled();
  });

  it('posts the new account and reports the session', async () => {
    const fetchMock = mockApi({ 'POST /api/auth/signup': () => jsonResponse(201, session) });
    const onSignedIn = vi.fn();
    const user = userEvent.setup();
    render(<SignUpForm onSignedIn={onSignedIn} />);

    await user.type(screen.getByLabelText('Your name'), 'Ada Lovelace ');
    await user.type(screen.getByLabelText('Email'), 'ada@example.com');
    await user.type(screen.getByLabelText('Password'), '0123456789');
    await user.type(screen.getByLabelText('Workspace name'), 'Analytical Engines');
    await user.click(screen.getByRole('button', { name: 'Create account' }));

    await waitFor(() => expect(onSignedIn).toHaveBeenCalledWith(session));
    expect(requestBody(fetchMock)).toEqual({
      name: 'Ada Lovelace',
      email: 'ada@example.com',
      password: '0123456789',
      workspaceName: 'Analytical Engines',
    });
  });
});
