import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { App } from './app.tsx';
import { session } from './testing/fixtures.ts';
import { jsonResponse, mockApi } from './testing/mock-api.ts';

const notSignedIn = () => jsonResponse(401, { error: { code: 'unauthorized', message: 'Not signed in' } });
const signedInText = 'Signed in as Ada Lovelace (ada@example.com), workspace Analytical Engines.';

describe('App', () => {
  it('restores the session from /api/me', async () => {
    mockApi({ 'GET /api/me': () => jsonResponse(200, session) });
    render(<App />);

    expect(await screen.findByText(signedInText)).toBeTruthy();
  });

  it('shows the signed-in state after a successful sign-in', async () => {
    mockApi({ 'GET /api/me': notSignedIn, 'POST /api/auth/login': () => jsonResponse(200, session) });
    const user = userEvent.setup();
    render(<App />);

    await user.type(await screen.findByLabelText('Email'), 'ada@example.com');
    await user.type(screen.getByLabelText('Password'), 'correct horse battery');
    await user.click(screen.getByRole('button', { name: 'Sign in' }));

    expect(await screen.findByText(signedInText)).toBeTruthy();
  });

  it('signs out with the CSRF token and returns to the sign-in form', async () => {
    const fetchMock = mockApi({
      'GET /api/me': () => jsonResponse(200, session),
      'POST /api/auth/logout': () => new Response(null, { status: 204 }),
    });
    const user = userEvent.setup();
    render(<App />);

    await user.click(await screen.findByRole('button', { name: 'Sign out' }));

    expect(await screen.findByRole('heading', { name: 'Sign in to Codetrack' })).toBeTruthy();
    const logoutCall = fetchMock.mock.calls.find(([url]) => url === '/api/auth/logout');
    expect(new Headers(logoutCall?.[1]?.headers).get('x-csrf-token')).toBe('csrf-token-1');
  });

  it('switches to the sign-up form and back', async () => {
    mockApi({ 'GET /api/me': notSignedIn });
    const user = userEvent.setup();
    render(<App />);

    await user.click(await screen.findByRole('button', { name: 'Create an account' }));
    expect(screen.getByRole('heading', { name: 'Create your Codetrack account' })).toBeTruthy();
    expect(screen.getByLabelText('Workspace name')).toBeTruthy();

    await user.click(screen.getByRole('button', { name: 'Sign in instead' }));
    expect(screen.getByRole('heading', { name: 'Sign in to Codetrack' })).toBeTruthy();
  });

  it('still offers sign-in when the session check cannot reach the API', async () => {
    mockApi({ 'GET /api/me': () => Promise.reject(new TypeError('Failed to fetch')) });
    render(<App />);

    expect(
      await screen.findByText('We could not reach Codetrack. Check your internet connection and try again.'),
    ).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Sign in' })).toBeTruthy();
  });
});
