import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import type { CreateCouponInput } from '@codetrack/contracts';
import { connectionFixture } from '../../../testing/fixtures.ts';
import { renderWithProviders } from '../../../testing/render.tsx';
import { CouponForm } from './coupon-form.tsx';
import { emptyCouponForm } from './coupon-form-values.ts';

const stripe = connectionFixture();
const woo = connectionFixture({
  id: 'con_2',
  platform: 'woocommerce',
  name: 'Shop',
  capabilities: { enforcedByPlatform: ['minimumAmount', 'expiresAt', 'maxRedemptions'], enforcedAtAttribution: ['firstTimeOnly'] },
});

function renderForm(onSubmit = vi.fn(async (_input: CreateCouponInput) => undefined)) {
  renderWithProviders(
    <CouponForm initial={emptyCouponForm('USD')} programCurrency="USD" connections={[stripe, woo]} submitLabel="Create coupon" onSubmit={onSubmit} />,
  );
  return onSubmit;
}

describe('CouponForm', () => {
  it('refuses a percentage above 100 and a fixed discount without an amount, without submitting', async () => {
    const onSubmit = renderForm();
    const user = userEvent.setup();

    await user.type(screen.getByLabelText(/Coupon name/), 'Too generous');
    const percent = screen.getByLabelText('Discount (%)');
    await user.clear(percent);
    await user.type(percent, '150');
    await user.click(screen.getByRole('button', { name: 'Create coupon' }));
    expect(await screen.findByText('Use a percentage above 0 and at most 100.')).toBeTruthy();

    await user.click(screen.getByRole('radio', { name: 'Fixed amount off' }));
    await user.click(screen.getByRole('button', { name: 'Create coupon' }));
    expect(await screen.findByText('Enter the amount off.')).toBeTruthy();
    expect(onSubmit).not.toHaveBeenCalled();
  });

  it('sends basis points, minor units, an end-of-day expiry and the chosen connections', async () => {
    const onSubmit = renderForm();
    const user = userEvent.setup();

    await user.type(screen.getByLabelText(/Coupon name/), 'Partner 12.5%');
    const percent = screen.getByLabelText('Discount (%)');
    await user.clear(percent);
    await user.type(percent, '12.5');
    await user.type(screen.getByLabelText(/Minimum order/), '25.50');
    await user.type(screen.getByLabelText(/Expires on/), '2099-12-31');
    await user.type(screen.getByLabelText(/Maximum redemptions/), '100');
    await user.click(screen.getByRole('checkbox', { name: 'Stripe' }));
    await user.click(screen.getByRole('button', { name: 'Create coupon' }));

    await waitFor(() => expect(onSubmit).toHaveBeenCalledTimes(1));
    expect(onSubmit.mock.calls[0]?.[0]).toEqual({
      name: 'Partner 12.5%',
      discountType: 'percent',
      percentOffBps: 1250,
      amountOff: null,
      currency: null,
      duration: 'once',
      durationInMonths: null,
      defaultRestrictions: { firstTimeOnly: false, minimumAmount: 2550, expiresAt: '2099-12-31T23:59:59.000Z', maxRedemptions: 100 },
      connectionIds: ['con_1'],
    });
  });

  it('requires the months of a repeating discount', async () => {
    const onSubmit = vi.fn(async (_input: CreateCouponInput) => undefined);
    renderWithProviders(
      <CouponForm
        initial={{ ...emptyCouponForm('USD'), name: 'Monthly', duration: 'repeating' }}
        programCurrency="USD"
        connections={[]}
        submitLabel="Create coupon"
        onSubmit={onSubmit}
      />,
    );
    const user = userEvent.setup();
    await user.clear(screen.getByLabelText('Months'));
    await user.click(screen.getByRole('button', { name: 'Create coupon' }));
    expect(await screen.findByText('Enter 1 to 120 months.')).toBeTruthy();

    await user.type(screen.getByLabelText('Months'), '6');
    await user.click(screen.getByRole('button', { name: 'Create coupon' }));
    await waitFor(() => expect(onSubmit).toHaveBeenCalledTimes(1));
    expect(onSubmit.mock.calls[0]?.[0]).toMatchObject({ duration: 'repeating', durationInMonths: 6 });
  });

  it('shows, per chosen platform, which restriction the checkout enforces and which only attribution does', async () => {
    renderForm();
    const user = userEvent.setup();
    await user.click(screen.getByRole('checkbox', { name: /WooCommerce · Shop/ }));

    const matrix = screen.getByRole('table', { name: 'Where each restriction is enforced' });
    const firstTime = matrix.querySelector('tbody tr');
    expect(firstTime?.textContent).toContain('First-time customers only');
    expect(firstTime?.textContent).toContain('At attribution');
    expect(matrix.textContent).toContain('At checkout');
  });

  it('shows the API error when the server refuses the coupon', async () => {
    const { ApiError } = await import('@codetrack/web/api-client');
    renderForm(
      vi.fn(async () => {
        throw new ApiError({ status: 409, code: 'coupon_discount_locked', message: 'locked' });
      }),
    );
    const user = userEvent.setup();
    await user.type(screen.getByLabelText(/Coupon name/), 'Locked');
    await user.click(screen.getByRole('button', { name: 'Create coupon' }));

    expect((await screen.findByRole('alert')).textContent).toContain('This discount already exists on Stripe');
  });
});
