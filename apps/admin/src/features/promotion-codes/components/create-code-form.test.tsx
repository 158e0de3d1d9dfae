import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import type { CreatePromotionCodeInput, PromotionCode } from '@codetrack/contracts';
import { ApiError } from '@codetrack/web/api-client';
import { jsonResponse, mockApi } from '@codetrack/web/testing/mock-api';
import { renderWithProviders } from '../../../testing/render.tsx';
import { CreateCodeForm } from './create-code-form.tsx';

const coupons = [{ value: 'cpn_1', label: 'Partner 20%' }];
const partners = [{ value: 'prt_1', label: 'John Smith (john@example.com)' }];

type CheckBody = { couponId: string; code: string };

function checkFor(code: string) {
  if (code === 'SUMMER') {
    return { ok: false, normalizedCode: 'SUMMER', problems: [{ code: 'promotion_code_taken', message: 'The code SUMMER is already in use in this workspace.' }], suggestions: ['SUMMER2', 'SUMMER-X4'] };
  }
  if (code === 'ACME10') {
    return { ok: false, normalizedCode: 'ACME10', problems: [{ code: 'reserved_word', message: 'Codes may not contain the reserved word "ACME".' }], suggestions: [] };
  }
  if (code === 'JOHN-10') {
    return { ok: false, normalizedCode: 'JOHN-10', problems: [{ code: 'rejected_by_platform', platform: 'paddle', message: "Paddle accepts only letters and digits; '-' is not allowed." }], suggestions: [] };
  }
  return { ok: true, normalizedCode: code.toUpperCase(), problems: [], suggestions: [] };
}

function renderForm(onSubmit = vi.fn(async (_couponId: string, _input: CreatePromotionCodeInput) => ({}) as PromotionCode)) {
  const fetchMock = mockApi({ 'POST /api/promotion-codes/validate': ({ body }) => jsonResponse(200, checkFor((body as CheckBody).code)) });
  renderWithProviders(<CreateCodeForm coupons={coupons} partners={partners} currency="USD" onSubmit={onSubmit} />);
  return { onSubmit, fetchMock };
}

describe('CreateCodeForm', () => {
  it('says a taken code is taken while typing, and a suggestion replaces it', async () => {
    const { onSubmit } = renderForm();
    const user = userEvent.setup();

    await user.type(screen.getByLabelText(/^Code/), 'SUMMER');
    expect(await screen.findByText('The code SUMMER is already in use in this workspace.')).toBeTruthy();
    await user.click(screen.getByRole('button', { name: 'Create code' }));
    expect(onSubmit).not.toHaveBeenCalled();

    await user.click(screen.getByRole('button', { name: 'SUMMER2' }));
    expect((screen.getByLabelText(/^Code/) as HTMLInputElement).value).toBe('SUMMER2');
    expect(await screen.findByText('SUMMER2 is available.')).toBeTruthy();
  });

  it('names the reserved word and the platform that refuses the characters', async () => {
    renderForm();
    const user = userEvent.setup();

    await user.type(screen.getByLabelText(/^Code/), 'ACME10');
    expect(await screen.findByText('Codes may not contain the reserved word "ACME".')).toBeTruthy();

    await user.clear(screen.getByLabelText(/^Code/));
    await user.type(screen.getByLabelText(/^Code/), 'JOHN-10');
    expect(await screen.findByText(/Paddle: Paddle accepts only letters and digits/)).toBeTruthy();
  });

  it('checks once the typing pauses, not on every key', async () => {
    const { fetchMock } = renderForm();
    const user = userEvent.setup();
    await user.type(screen.getByLabelText(/^Code/), 'SPRING24');
    expect(await screen.findByText('SPRING24 is available.')).toBeTruthy();
    const bodies = fetchMock.mock.calls.map(([, init]) => JSON.parse(String(init?.body)) as CheckBody);
    expect(bodies.map((b) => b.code)).toEqual(['SPRING24']);
    expect(bodies[0]?.couponId).toBe('cpn_1');
  });

  it('creates the code with the partner and only the restrictions that were set', async () => {
    const { onSubmit } = renderForm();
    const user = userEvent.setup();
    await user.type(screen.getByLabelText(/^Code/), 'SPRING24');
    await screen.findByText('SPRING24 is available.');
    await user.type(screen.getByLabelText(/Maximum redemptions/), '50');
    await user.click(screen.getByRole('button', { name: 'Create code' }));

    await waitFor(() => expect(onSubmit).toHaveBeenCalledTimes(1));
    expect(onSubmit.mock.calls[0]).toEqual(['cpn_1', { code: 'SPRING24', partnerId: null, restrictions: { maxRedemptions: 50 } }]);
  });

  it('offers the suggestions of a 409 when someone took the code meanwhile', async () => {
    renderForm(
      vi.fn(async () => {
        throw new ApiError({ status: 409, code: 'promotion_code_taken', message: 'taken', suggestions: ['SPRING25'] });
      }),
    );
    const user = userEvent.setup();
    await user.type(screen.getByLabelText(/^Code/), 'SPRING24');
    await screen.findByText('SPRING24 is available.');
    await user.click(screen.getByRole('button', { name: 'Create code' }));

    expect((await screen.findByRole('alert')).textContent).toContain('That code is already used in this workspace');
    expect(screen.getByRole('button', { name: 'SPRING25' })).toBeTruthy();
  });
});
