import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { Route, Routes } from 'react-router';
import { describe, expect, it, onTestFinished, vi } from 'vitest';
import type { Partner, PartnerDetail, UpdatePartnerInput } from '@codetrack/contracts';
import { ApiError, setCsrfToken } from '@codetrack/web/api-client';
import { jsonResponse, mockApi, requestBody } from '@codetrack/web/testing/mock-api';
import { partnerFixture, programFixture, session } from '../../../testing/fixtures.ts';
import { renderWithProviders } from '../../../testing/render.tsx';
import { EditPartnerForm } from './edit-partner-form.tsx';
import { PartnerDetailPage } from './partner-detail-page.tsx';

function renderForm(partner: Partner = partnerFixture(), onSubmit = vi.fn(async (_input: UpdatePartnerInput) => partner)) {
  renderWithProviders(<EditPartnerForm partner={partner} currency="USD" onSubmit={onSubmit} />);
  return onSubmit;
}

const save = () => userEvent.click(screen.getByRole('button', { name: 'Save partner' }));

describe('EditPartnerForm', () => {
  it('shows the partner as saved and sends only what changed, money in minor units', async () => {
    const onSubmit = renderForm();
    const user = userEvent.setup();

    expect((screen.getByLabelText(/^Name/) as HTMLInputElement).value).toBe('John Smith');
    expect((screen.getByLabelText(/^Referral key/) as HTMLInputElement).value).toBe('john-smith');
    await user.clear(screen.getByLabelText(/^Name/));
    await user.type(screen.getByLabelText(/^Name/), 'Johnny Smith');
    await user.type(screen.getByLabelText(/^Payout email/), 'Pay@Johnny.test');
    await user.click(screen.getByRole('checkbox', { name: /Own commission rule/ }));
    await user.click(screen.getByRole('radio', { name: 'Fixed amount' }));
    const amount = screen.getByLabelText('Commission (USD)');
    await user.clear(amount);
    await user.type(amount, '25.5');
    await user.click(screen.getByLabelText('Paid on', { selector: 'input' }));
    await user.click(await screen.findByRole('option', { name: 'Orders during a number of months', hidden: true }));
    const months = screen.getByLabelText(/^Months/);
    await user.clear(months);
    await user.type(months, '6');
    await save();

    await waitFor(() => expect(onSubmit).toHaveBeenCalledTimes(1));
    expect(onSubmit.mock.calls[0]?.[0]).toEqual({
      name: 'Johnny Smith',
      payoutEmail: 'pay@johnny.test',
      commissionOverride: { type: 'fixed', value: 2550, duration: 'months', durationMonths: 6 },
    });
  });

  it('goes back to the program’s rule when the own rule is switched off', async () => {
    const onSubmit = renderForm(partnerFixture({ commissionOverride: { type: 'percent', value: 2500, duration: 'lifetime', durationMonths: null } }));
    const user = userEvent.setup();

    expect((screen.getByLabelText('Commission (%)') as HTMLInputElement).value).toBe('25%');
    await user.click(screen.getByRole('checkbox', { name: /Own commission rule/ }));
    await save();

    await waitFor(() => expect(onSubmit).toHaveBeenCalledTimes(1));
    expect(onSubmit.mock.calls[0]?.[0]).toEqual({ commissionOverride: null });
  });

  it('checks the referral key and payout email before sending, and puts the cursor on the first bad field', async () => {
    const onSubmit = renderForm();
    const user = userEvent.setup();

    await user.type(screen.getByLabelText(/^Payout email/), 'not-an-email');
    await user.clear(screen.getByLabelText(/^Referral key/));
    await user.type(screen.getByLabelText(/^Referral key/), 'no spaces!');
    await save();

    expect(await screen.findByText('Enter an email address like name@example.com, or leave it empty.')).toBeTruthy();
    expect(screen.getByText('Use 3 to 40 letters, digits and single dashes between them.')).toBeTruthy();
    expect(document.activeElement).toBe(screen.getByLabelText(/^Payout email/));
    expect(onSubmit).not.toHaveBeenCalled();
  });

  it('says that old referral links keep working while the key is being changed', async () => {
    renderForm();
    const user = userEvent.setup();

    await user.type(screen.getByLabelText(/^Referral key/), '-2');

    expect(screen.getByText('Links with /r/john-smith keep working and still count for this partner.')).toBeTruthy();
  });

  it('puts the API’s messages next to their fields: a taken key, and validation details', async () => {
    const onSubmit = vi
      .fn(async (_input: UpdatePartnerInput): Promise<Partner> => partnerFixture())
      .mockRejectedValueOnce(new ApiError({ status: 409, code: 'referral_key_taken', message: 'This referral key is already taken; choose another' }))
      .mockRejectedValueOnce(
        new ApiError({
          status: 400,
          code: 'validation_failed',
          message: 'Invalid request',
          details: [{ path: 'body.commissionOverride.value', message: 'a percentage is at most 10000 basis points' }],
        }),
      );
    renderForm(partnerFixture(), onSubmit);
    const user = userEvent.setup();

    await user.clear(screen.getByLabelText(/^Referral key/));
    await user.type(screen.getByLabelText(/^Referral key/), 'taken-key');
    await save();
    expect(await screen.findByText('This referral key is already taken; choose another', { selector: '.mantine-InputWrapper-error' })).toBeTruthy();
    expect(document.activeElement).toBe(screen.getByLabelText(/^Referral key/));

    await user.click(screen.getByRole('checkbox', { name: /Own commission rule/ }));
    await save();
    expect(await screen.findByText('a percentage is at most 10000 basis points')).toBeTruthy();
    expect(screen.getByRole('alert').textContent).toContain('Check the highlighted fields');
  });
});

describe('PartnerDetailPage: editing', () => {
  it('saves the edit with the CSRF token and shows the partner as the API now has it', async () => {
    onTestFinished(() => setCsrfToken(null));
    let partner: PartnerDetail = { ...partnerFixture(), codes: [] };
    const fetchMock = mockApi({
      'GET /api/me': () => jsonResponse(200, session),
      'GET /api/programs/prg_1': () => jsonResponse(200, programFixture()),
      'GET /api/programs/prg_1/partners/prt_1': () => jsonResponse(200, partner),
      'PATCH /api/programs/prg_1/partners/prt_1': ({ body }) => {
        partner = { ...partner, ...(body as UpdatePartnerInput), referralUrl: `https://api.example.com/r/${(body as UpdatePartnerInput).referralKey}` } as PartnerDetail;
        return jsonResponse(200, partner);
      },
    });
    renderWithProviders(
      <Routes>
        <Route path="/programs/:programId/partners/:partnerId" element={<PartnerDetailPage />} />
      </Routes>,
      { route: '/programs/prg_1/partners/prt_1' },
    );
    const user = userEvent.setup();

    await user.click(await screen.findByRole('button', { name: 'Edit' }));
    const dialog = await screen.findByRole('dialog', { name: 'Edit John Smith' });
    const key = within(dialog).getByLabelText(/^Referral key/);
    await user.clear(key);
    await user.type(key, 'johnny');
    await user.click(within(dialog).getByRole('button', { name: 'Save partner' }));

    expect(await screen.findByText('https://api.example.com/r/johnny')).toBeTruthy();
    const patch = fetchMock.mock.calls.findIndex(([, init]) => init?.method === 'PATCH');
    expect(requestBody(fetchMock, patch)).toEqual({ referralKey: 'johnny' });
    expect(new Headers(fetchMock.mock.calls[patch]?.[1]?.headers).get('x-csrf-token')).toBe(session.csrfToken);
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
  });
});
