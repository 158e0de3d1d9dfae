import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { App } from './app.tsx';
import { partnerSession } from './testing/fixtures.ts';
import { jsonResponse, mockApi } from './testing/mock-api.ts';

const notSignedIn = () => jsonResponse(401, { error: { code: 'unauthorized', message: 'Not signed in' } });

describe('App (portal)', () => {
  it('explains a sign-in link without a program instead of showing the form', async () => {
    const fetchMock = mockApi({ 'GET /api/portal/me': notSignedIn });
    render(<App program={{ status: 'missing' }} />);

    expect(await screen.findByRole('heading', { name: 'This sign-in link is incomplete' })).toBeTruthy();
    expect(screen.getByText(/does not say which partner program/)).toBeTruthy();
    expect(screen.queryByLabelText('Email')).toBeNull();
    expect(fetchMock).toHaveBeenCalledTimes(1);
  });

  it('shows the codes placeholder and the program after signing in', async () => {
    mockApi({
      'GET /api/portal/me': notSignedIn,
      'POST /api/portal/login': () => jsonResponse(200, partnerSession),
    });
    const user = userEvent.setup();
    render(<App program={{ status: 'ok', programId: 'prg_1' }} />);

    await user.type(await screen.findByLabelText('Email'), 'grace@example.com');
    await user.type(screen.getByLabelText('Password'), 'correct horse battery');
    await user.click(screen.getByRole('button', { name: 'Sign in' }));

    expect(await screen.findByText('Your codes will appear here.')).toBeTruthy();
    expect(screen.getByText('Cobol Club')).toBeTruthy();
    expect(screen.getByRole('heading', { name: 'Welcome, Grace Hopper' })).toBeTruthy();
  });

  it('restores a session for the same program', async () => {
    mockApi({ 'GET /api/portal/me': () => jsonResponse(200, partnerSession) });
    render(<App program={{ status: 'ok', programId: 'prg_1' }} />);

    expect(await screen.findByText('Your codes will appear here.')).toBeTruthy();
  });

  it('asks to sign in when the saved session belongs to another program', async () => {
    mockApi({ 'GET /api/portal/me': () => jsonResponse(200, partnerSession) });
    render(<App program={{ status: 'ok', programId: 'prg_2' }} />);

    expect(await screen.findByRole('heading', { name: 'Partner sign-in' })).toBeTruthy();
    expect(screen.queryByText('Your codes will appear here.')).toBeNull();
  });
});
