import { MantineProvider } from '@mantine/core';
import { QueryClientProvider } from '@tanstack/react-query';
import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { RouterProvider, createMemoryRouter } from 'react-router';
import { afterEach, describe, expect, it } from 'vitest';
import { setCsrfToken } from '@codetrack/web/api-client';
import { createQueryClient } from '@codetrack/web/query-client';
import { jsonResponse, mockApi } from '@codetrack/web/testing/mock-api';
import { theme } from './app/provider.tsx';
import { routes } from './app/router.tsx';
import { session } from './testing/fixtures.ts';

const notSignedIn = () => jsonResponse(401, { error: { code: 'unauthorized', message: 'Sign in first' } });
const noPrograms = () => jsonResponse(200, { items: [], nextCursor: null });

function renderApp(path: string) {
  const router = createMemoryRouter(routes, { initialEntries: [path] });
  render(
    <MantineProvider theme={theme}>
      <QueryClientProvider client={createQueryClient()}>
        <RouterProvider router={router} />
      </QueryClientProvider>
    </MantineProvider>,
  );
  return router;
}

afterEach(() => setCsrfToken(null));

describe('App', () => {
  it('sends a visitor without a session to sign-in, remembering where they were going', async () => {
    mockApi({ 'GET /api/me': notSignedIn });
    const router = renderApp('/settings/members');

    expect(await screen.findByRole('heading', { name: 'Sign in to Codetrack' })).toBeTruthy();
    expect(router.state.location.search).toBe('?next=%2Fsettings%2Fmembers');
  });

  it('signs in and opens the programs screen', async () => {
    mockApi({ 'GET /api/me': notSignedIn, 'POST /api/auth/login': () => jsonResponse(200, session), 'GET /api/programs': noPrograms });
    const user = userEvent.setup();
    renderApp('/sign-in');

    await user.type(await screen.findByLabelText('Email'), 'ada@example.com');
    await user.type(screen.getByLabelText('Password'), 'correct horse battery');
    await user.click(screen.getByRole('button', { name: 'Sign in' }));

    expect(await screen.findByRole('heading', { name: 'Programs' })).toBeTruthy();
    expect(await screen.findByText('No programs yet')).toBeTruthy();
  });

  it('restores the session from /api/me and signs out with its CSRF token', async () => {
    const fetchMock = mockApi({
      'GET /api/me': () => jsonResponse(200, session),
      'GET /api/programs': noPrograms,
      'POST /api/auth/logout': () => new Response(null, { status: 204 }),
    });
    const user = userEvent.setup();
    renderApp('/programs');

    expect(await screen.findByText('Analytical Engines')).toBeTruthy();
    await user.click(screen.getByRole('button', { name: 'Sign out' }));

    expect(await screen.findByRole('heading', { name: 'Sign in to Codetrack' })).toBeTruthy();
    const logoutCall = fetchMock.mock.calls.find(([url]) => url === '/api/auth/logout');
    expect(new Headers(logoutCall?.[1]?.headers).get('x-csrf-token')).toBe('csrf-token-1');
  });

  it('switches between sign-in and sign-up', async () => {
    mockApi({ 'GET /api/me': notSignedIn });
    const user = userEvent.setup();
    renderApp('/sign-in');

    await user.click(await screen.findByRole('link', { name: 'Create an account' }));
    expect(await screen.findByRole('heading', { name: 'Create your Codetrack account' })).toBeTruthy();
    expect(screen.getByLabelText('Workspace name')).toBeTruthy();
  });

  it('still offers sign-in when the session check cannot reach the API', async () => {
    mockApi({ 'GET /api/me': () => Promise.reject(new TypeError('Failed to fetch')) });
    renderApp('/sign-in');

    expect(await screen.findByText('We could not reach Codetrack. Check your internet connection and try again.')).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Sign in' })).toBeTruthy();
  });
});
