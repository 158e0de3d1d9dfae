import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { jsonResponse, mockApi } from '@codetrack/web/testing/mock-api';
import { commissionPage, partnerSession, stats } from '../../../testing/fixtures.ts';
import { renderApp } from '../../../testing/render-app.tsx';

function statsUrls(fetchMock: ReturnType<typeof mockApi>) {
  return fetchMock.mock.calls.map(([input]) => String(input)).filter((url) => url.startsWith('/api/portal/stats'));
}

describe('Results', () => {
  it('shows the totals, the per-code table and the commission list for the range in the address', async () => {
    const fetchMock = mockApi({
      'GET /api/portal/me': () => jsonResponse(200, partnerSession),
      'GET /api/portal/stats': () => jsonResponse(200, stats),
      'GET /api/portal/commissions': () => jsonResponse(200, commissionPage(['com_1'])),
    });
    renderApp('/results?from=2026-03-01&to=2026-03-03');

    const totals = await screen.findByRole('group', { name: 'Totals' });
    expect(within(totals).getByText('Pending commission').nextSibling?.textContent).toBe('$32.00');
    expect(within(totals).getByText('Revenue').nextSibling?.textContent).toBe('$240.00');
    expect(within(totals).getByText('Clicks').nextSibling?.textContent).toBe('12');
    const perCode = screen.getByRole('region', { name: 'Per code' });
    expect(within(perCode).getByRole('row', { name: 'GRACE20 2 $160.00 $32.00' })).toBeTruthy();
    const commissions = screen.getByRole('region', { name: 'Commissions' });
    expect(await within(commissions).findByText('pi_com_1')).toBeTruthy();
    expect(within(commissions).getByText('Pending')).toBeTruthy();
    expect(statsUrls(fetchMock)).toEqual(['/api/portal/stats?from=2026-03-01&to=2026-03-03']);
  });

  it('asks again for a custom range and refuses a backwards one in a sentence', async () => {
    const fetchMock = mockApi({
      'GET /api/portal/me': () => jsonResponse(200, partnerSession),
      'GET /api/portal/stats': () => jsonResponse(200, stats),
      'GET /api/portal/commissions': () => jsonResponse(200, commissionPage([])),
    });
    const user = userEvent.setup();
    renderApp('/results?from=2026-03-01&to=2026-03-03');
    await screen.findByRole('group', { name: 'Totals' });

    const from = screen.getByLabelText('From');
    await user.clear(from);
    await user.type(from, '2026-03-05');
    await user.click(screen.getByRole('button', { name: 'Show' }));
    expect((await screen.findByRole('alert')).textContent).toBe('The start date must be on or before the end date.');

    await user.clear(from);
    await user.type(from, '2026-02-01');
    await user.click(screen.getByRole('button', { name: 'Show' }));
    await screen.findByText(/No commissions yet/);
    expect(statsUrls(fetchMock).at(-1)).toBe('/api/portal/stats?from=2026-02-01&to=2026-03-03');
  });

  it('loads the next page of commissions with the cursor', async () => {
    const fetchMock = mockApi({
      'GET /api/portal/me': () => jsonResponse(200, partnerSession),
      'GET /api/portal/stats': () => jsonResponse(200, stats),
      'GET /api/portal/commissions': ({ url }) =>
        jsonResponse(200, url.searchParams.get('cursor') === 'next-1' ? commissionPage(['com_3']) : commissionPage(['com_1', 'com_2'], 'next-1')),
    });
    const user = userEvent.setup();
    renderApp('/results');

    await user.click(await screen.findByRole('button', { name: 'Show more' }));

    expect(await screen.findByText('pi_com_3')).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Show more' })).toBeNull();
    expect(fetchMock.mock.calls.some(([input]) => String(input).includes('cursor=next-1'))).toBe(true);
  });
});
