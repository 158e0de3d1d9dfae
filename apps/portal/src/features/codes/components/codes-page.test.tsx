import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { jsonResponse, mockApi } from '@codetrack/web/testing/mock-api';
import { codes, partnerSession } from '../../../testing/fixtures.ts';
import { renderApp } from '../../../testing/render-app.tsx';

describe('My codes', () => {
  it('shows every code with its discount in plain words, its status and the share line of active codes', async () => {
    mockApi({ 'GET /api/portal/me': () => jsonResponse(200, partnerSession), 'GET /api/portal/codes': () => jsonResponse(200, codes) });
    renderApp('/codes');

    const active = await screen.findByRole('article', { name: 'Code GRACE20' });
    expect(within(active).getByText('20% off the first order, orders of $50 or more, until 31 Dec 2026, 100 uses left')).toBeTruthy();
    expect(within(active).getByText('Active')).toBeTruthy();
    expect(within(active).getByText(codes.items[0]!.shareLine)).toBeTruthy();
    const paused = screen.getByRole('article', { name: 'Code GRACEOLD' });
    expect(within(paused).getByText('Paused')).toBeTruthy();
    expect(within(paused).queryByText('Suggested share line')).toBeNull();
    expect(screen.getByTestId('referral-url').textContent).toBe('https://api.example.com/r/grace');
  });

  it('copies a code and confirms it on the button', async () => {
    mockApi({ 'GET /api/portal/me': () => jsonResponse(200, partnerSession), 'GET /api/portal/codes': () => jsonResponse(200, codes) });
    const user = userEvent.setup();
    renderApp('/codes');

    const active = await screen.findByRole('article', { name: 'Code GRACE20' });
    await user.click(within(active).getByRole('button', { name: 'Copy code GRACE20' }));

    expect(within(active).getByRole('button', { name: 'Copied code GRACE20' }).textContent).toBe('Copied');
    expect(await navigator.clipboard.readText()).toBe('GRACE20');
    await user.click(screen.getByRole('button', { name: 'Copy referral link' }));
    expect(await navigator.clipboard.readText()).toBe('https://api.example.com/r/grace');
  });

  it('says when there are no codes yet', async () => {
    mockApi({ 'GET /api/portal/me': () => jsonResponse(200, partnerSession), 'GET /api/portal/codes': () => jsonResponse(200, { ...codes, items: [] }) });
    renderApp('/codes');
    expect(await screen.findByText(/You have no codes yet/)).toBeTruthy();
  });

  it('explains a failed load in a plain sentence', async () => {
    mockApi({
      'GET /api/portal/me': () => jsonResponse(200, partnerSession),
      'GET /api/portal/codes': () => jsonResponse(503, { error: { code: 'unavailable', message: 'db down' } }),
    });
    renderApp('/codes');
    expect((await screen.findByRole('alert', {}, { timeout: 5000 })).textContent).toContain('Something went wrong on our side. Please try again in a moment.');
  });
});
