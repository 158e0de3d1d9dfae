import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { jsonResponse, mockApi, requestBody } from '@codetrack/web/testing/mock-api';
import { partnerSession } from '../../../testing/fixtures.ts';
import { renderApp } from '../../../testing/render-app.tsx';

describe('Profile', () => {
  it('saves the name and payout email with the CSRF token and shows the new name in the header', async () => {
    const fetchMock = mockApi({
      'GET /api/portal/me': () => jsonResponse(200, partnerSession),
      'PATCH /api/portal/profile': ({ body }) => jsonResponse(200, { ...partnerSession.partner, ...(body as object) }),
    });
    const user = userEvent.setup();
    renderApp('/profile');

    const name = await screen.findByLabelText('Name');
    await user.clear(name);
    await user.type(name, 'Grace B. Hopper');
    await user.type(screen.getByLabelText('Payout email', { exact: false }), 'payouts@example.com');
    await user.click(screen.getByRole('button', { name: 'Save profile' }));

    expect(await screen.findByText('Saved.')).toBeTruthy();
    const patch = fetchMock.mock.calls.findIndex(([, init]) => init?.method === 'PATCH');
    expect(requestBody(fetchMock, patch)).toEqual({ name: 'Grace B. Hopper', payoutEmail: 'payouts@example.com' });
    expect(new Headers(fetchMock.mock.calls[patch]?.[1]?.headers).get('x-csrf-token')).toBe('csrf-token-1');
    expect(screen.getByText('Grace B. Hopper')).toBeTruthy();
  });

  it('checks the payout email before sending it', async () => {
    const fetchMock = mockApi({ 'GET /api/portal/me': () => jsonResponse(200, partnerSession) });
    const user = userEvent.setup();
    renderApp('/profile');

    await user.type(await screen.findByLabelText('Payout email', { exact: false }), 'not-an-email');
    await user.click(screen.getByRole('button', { name: 'Save profile' }));

    expect(await screen.findByText('Enter an email address like name@example.com.')).toBeTruthy();
    expect(fetchMock.mock.calls.some(([, init]) => init?.method === 'PATCH')).toBe(false);
  });
});
