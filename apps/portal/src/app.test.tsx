import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { jsonResponse, mockApi, requestBody } from '@codetrack/web/testing/mock-api';
import { codes, partnerSession, programBranding } from './testing/fixtures.ts';
import { renderApp } from './testing/render-app.tsx';

const notSignedIn = () => jsonResponse(401, { error: { code: 'unauthorized', message: 'Sign in to the partner portal first' } });

describe('portal routes', () => {
  it('explains a sign-in link without a program instead of showing the form', async () => {
    mockApi({ 'GET /api/portal/me': notSignedIn });
    renderApp('/');

    expect(await screen.findByRole('heading', { name: 'This sign-in link is incomplete' })).toBeTruthy();
    expect(screen.getByText(/does not say which partner program/)).toBeTruthy();
    expect(screen.queryByLabelText('Email')).toBeNull();
  });

  it('says so when the program in the link does not exist', async () => {
    mockApi({
      'GET /api/portal/me': notSignedIn,
      'GET /api/portal/program/prg_gone': () => jsonResponse(404, { error: { code: 'not_found', message: 'Program was not found' } }),
    });
    renderApp('/?program=prg_gone');

    expect(await screen.findByText(/not one we recognise/)).toBeTruthy();
  });

  it('signs in under the program\'s name and logo, then shows the codes', async () => {
    const fetchMock = mockApi({
      'GET /api/portal/me': notSignedIn,
      'GET /api/portal/program/prg_1': () => jsonResponse(200, programBranding),
      'POST /api/portal/login': () => jsonResponse(200, partnerSession),
      'GET /api/portal/codes': () => jsonResponse(200, codes),
    });
    const user = userEvent.setup();
    const { router } = renderApp('/?program=prg_1');

    expect(await screen.findByText('Cobol Club')).toBeTruthy();
    expect(document.querySelector('img[src="https://cdn.example.com/logo.png"]')).not.toBeNull();
    await user.type(screen.getByLabelText('Email'), 'grace@example.com');
    await user.type(screen.getByLabelText('Password'), 'correct horse battery');
    await user.click(screen.getByRole('button', { name: 'Sign in' }));

    expect(await screen.findByRole('heading', { name: 'My codes' })).toBeTruthy();
    expect(router.state.location.pathname).toBe('/codes');
    const login = fetchMock.mock.calls.findIndex(([, init]) => init?.method === 'POST');
    expect(requestBody(fetchMock, login)).toEqual({ programId: 'prg_1', email: 'grace@example.com', password: 'correct horse battery' });
  });

  it('asks to sign in when the saved session belongs to another program', async () => {
    mockApi({
      'GET /api/portal/me': () => jsonResponse(200, partnerSession),
      'GET /api/portal/program/prg_2': () => jsonResponse(200, { ...programBranding, id: 'prg_2', name: 'Fortran Friends' }),
    });
    renderApp('/?program=prg_2');

    expect(await screen.findByRole('heading', { name: 'Partner sign-in' })).toBeTruthy();
    expect(screen.getByText('Fortran Friends')).toBeTruthy();
  });

  it('sends a signed-out visitor of a partner page to the remembered program\'s sign-in', async () => {
    window.localStorage.setItem('codetrack.portal.program', 'prg_1');
    mockApi({ 'GET /api/portal/me': notSignedIn, 'GET /api/portal/program/prg_1': () => jsonResponse(200, programBranding) });
    const { router } = renderApp('/results');

    expect(await screen.findByRole('heading', { name: 'Partner sign-in' })).toBeTruthy();
    expect(router.state.location.search).toBe('?program=prg_1');
  });

  it('signs out with the CSRF token and returns to the program\'s sign-in page', async () => {
    const fetchMock = mockApi({
      'GET /api/portal/me': () => jsonResponse(200, partnerSession),
      'GET /api/portal/codes': () => jsonResponse(200, codes),
      'POST /api/portal/logout': () => new Response(null, { status: 204 }),
      'GET /api/portal/program/prg_1': () => jsonResponse(200, programBranding),
    });
    const user = userEvent.setup();
    const { router } = renderApp('/codes');

    await user.click(await screen.findByRole('button', { name: 'Sign out' }));

    expect(await screen.findByRole('heading', { name: 'Partner sign-in' })).toBeTruthy();
    expect(`${router.state.location.pathname}${router.state.location.search}`).toBe('/?program=prg_1');
    const logout = fetchMock.mock.calls.find(([input]) => String(input).endsWith('/api/portal/logout'));
    expect(new Headers(logout?.[1]?.headers).get('x-csrf-token')).toBe('csrf-token-1');
  });

  it('accepts an invitation with a new password typed twice and opens the codes', async () => {
    const fetchMock = mockApi({
      'GET /api/portal/me': notSignedIn,
      'POST /api/portal/invitations/accept': () => jsonResponse(200, partnerSession),
      'GET /api/portal/codes': () => jsonResponse(200, codes),
    });
    const user = userEvent.setup();
    const token = 'a'.repeat(43);
    renderApp(`/accept-invitation?token=${token}`);

    await user.type(await screen.findByLabelText('New password', { exact: false, selector: 'input[name="password"]' }), 'long enough password');
    await user.type(screen.getByLabelText('New password again'), 'long enough passw0rd');
    await user.click(screen.getByRole('button', { name: 'Set password and continue' }));
    expect(await screen.findByText('The two passwords are not the same.')).toBeTruthy();
    expect(fetchMock.mock.calls.some(([, init]) => init?.method === 'POST')).toBe(false);

    await user.clear(screen.getByLabelText('New password again'));
    await user.type(screen.getByLabelText('New password again'), 'long enough password');
    await user.click(screen.getByRole('button', { name: 'Set password and continue' }));

    expect(await screen.findByRole('heading', { name: 'My codes' })).toBeTruthy();
    const accept = fetchMock.mock.calls.findIndex(([, init]) => init?.method === 'POST');
    expect(requestBody(fetchMock, accept)).toEqual({ token, password: 'long enough password' });
  });

  it('explains a used or expired invitation in a plain sentence', async () => {
    mockApi({
      'GET /api/portal/me': notSignedIn,
      'POST /api/portal/invitations/accept': () =>
        jsonResponse(400, { error: { code: 'invitation_invalid', message: 'This invitation link is not valid any more: it was used already or it expired. Ask the program for a new invitation.' } }),
    });
    const user = userEvent.setup();
    renderApp(`/accept-invitation?token=${'b'.repeat(43)}`);

    await user.type(await screen.findByLabelText('New password', { exact: false, selector: 'input[name="password"]' }), 'long enough password');
    await user.type(screen.getByLabelText('New password again'), 'long enough password');
    await user.click(screen.getByRole('button', { name: 'Set password and continue' }));

    expect((await screen.findByRole('alert')).textContent).toMatch(/^This invitation link is not valid any more/);
  });

  it('says the same thing after a reset request whatever the email', async () => {
    const fetchMock = mockApi({
      'GET /api/portal/program/prg_1': () => jsonResponse(200, programBranding),
      'POST /api/portal/password-reset/request': () => new Response(null, { status: 202 }),
    });
    const user = userEvent.setup();
    renderApp('/forgot-password?program=prg_1');

    await user.type(await screen.findByLabelText('Email'), 'grace@example.com');
    await user.click(screen.getByRole('button', { name: 'Send reset link' }));

    expect((await screen.findByRole('status')).textContent).toMatch(/If grace@example.com belongs to a partner of this program/);
    await waitFor(() => expect(requestBody(fetchMock, 1)).toEqual({ programId: 'prg_1', email: 'grace@example.com' }));
  });
});
