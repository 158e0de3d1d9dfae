import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import type { Connection, CreateConnectionInput } from '@codetrack/contracts';
import { ApiError } from '@codetrack/web/api-client';
import { connectionFixture } from '../../../testing/fixtures.ts';
import { renderWithProviders } from '../../../testing/render.tsx';
import { ConnectionForm } from './connection-form.tsx';

function renderForm(onSubmit = vi.fn(async (_input: CreateConnectionInput): Promise<Connection> => connectionFixture())) {
  const onConnected = vi.fn();
  renderWithProviders(<ConnectionForm onSubmit={onSubmit} onConnected={onConnected} />);
  return { onSubmit, onConnected };
}

describe('ConnectionForm', () => {
  it('says where each Stripe credential is found', () => {
    renderForm();
    expect(screen.getByText(/Developers → API keys → Secret key/)).toBeTruthy();
    expect(screen.getByText(/Developers → Webhooks → your endpoint → Signing secret/)).toBeTruthy();
  });

  it('refuses a publishable key and a signing secret of the wrong kind', async () => {
    const { onSubmit } = renderForm();
    const user = userEvent.setup();

    await user.type(screen.getByLabelText(/^Secret key/), 'pk_test_123');
    await user.type(screen.getByLabelText(/^Webhook signing secret/), 'sk_test_abc');
    await user.click(screen.getByRole('button', { name: 'Connect Stripe' }));

    expect(await screen.findByText(/Secret key must be a Stripe secret key \(sk_test_\/sk_live_\) or restricted key/)).toBeTruthy();
    expect(screen.getByText(/Webhook signing secret must be the endpoint's signing secret \(whsec_/)).toBeTruthy();
    expect(onSubmit).not.toHaveBeenCalled();
  });

  it('switches to Shopify fields and wants the permanent myshopify.com domain', async () => {
    const { onSubmit } = renderForm();
    const user = userEvent.setup();
    await user.click(screen.getByRole('radio', { name: 'Shopify' }));

    await user.type(screen.getByLabelText(/^Shop domain/), 'www.my-shop.com');
    await user.type(screen.getByLabelText(/^Admin API access token/), 'shpat_abc123');
    await user.click(screen.getByRole('button', { name: 'Connect Shopify' }));

    expect(await screen.findByText(/Shop domain must be the shop's permanent domain, like my-shop.myshopify.com/)).toBeTruthy();
    expect(onSubmit).not.toHaveBeenCalled();
  });

  it('sends trimmed credentials and the API address override, then hands over the stored connection', async () => {
    const { onSubmit, onConnected } = renderForm();
    const user = userEvent.setup();

    await user.type(screen.getByLabelText(/^Secret key/), '  sk_test_abc123 ');
    await user.click(screen.getByRole('button', { name: /Advanced/ }));
    await user.type(screen.getByLabelText(/^API address/), 'http://127.0.0.1:12111');
    await user.click(screen.getByRole('button', { name: 'Connect Stripe' }));

    await waitFor(() => expect(onConnected).toHaveBeenCalledTimes(1));
    expect(onSubmit).toHaveBeenCalledWith({ platform: 'stripe', secretKey: 'sk_test_abc123', apiBaseUrl: 'http://127.0.0.1:12111' });
  });

  it('puts the API validation message next to its field', async () => {
    renderForm(
      vi.fn(async () => {
        throw new ApiError({ status: 400, code: 'validation_failed', message: 'Invalid', details: [{ path: 'body.secretKey', message: 'was revoked' }] });
      }),
    );
    const user = userEvent.setup();
    await user.type(screen.getByLabelText(/^Secret key/), 'sk_test_abc123');
    await user.click(screen.getByRole('button', { name: 'Connect Stripe' }));

    expect(await screen.findByText('was revoked')).toBeTruthy();
    expect(screen.getByRole('alert').textContent).toContain('Some of the details you entered are not valid');
  });
});
