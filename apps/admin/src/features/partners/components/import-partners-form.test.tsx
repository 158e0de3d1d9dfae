import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import type { ImportPartnersInput, PartnerImportResult } from '@codetrack/contracts';
import { renderWithProviders } from '../../../testing/render.tsx';
import { ImportPartnersForm } from './import-partners-form.tsx';

const csv = 'email,name\nann@example.com,Ann Lee\nbob@example.com,Bob Stone';
const result = (invitationsSent: number): PartnerImportResult => ({
  created: 2,
  partners: [
    { id: 'prt_1', email: 'ann@example.com', referralKey: 'ann-lee' },
    { id: 'prt_2', email: 'bob@example.com', referralKey: 'bob-stone' },
  ],
  codes: [],
  invitationsSent,
});

// Mantine's autosize Textarea listens for web fonts loading; happy-dom has no document.fonts.
beforeAll(() => {
  if (!('fonts' in document)) Object.defineProperty(document, 'fonts', { value: new EventTarget(), configurable: true });
});

describe('ImportPartnersForm', () => {
  it('emails the invitations by default and says how many went out, and which did not', async () => {
    const onSubmit = vi.fn(async (_input: ImportPartnersInput) => result(1));
    renderWithProviders(<ImportPartnersForm onSubmit={onSubmit} />);
    const user = userEvent.setup();

    await user.click(screen.getByLabelText('Or paste CSV'));
    await user.paste(csv);
    await user.click(screen.getByRole('button', { name: 'Import' }));

    expect(await screen.findByText(/2 partners created, 1 invitation email sent\./)).toBeTruthy();
    expect(screen.getByText(/1 invitation email could not be sent/)).toBeTruthy();
    expect(onSubmit).toHaveBeenCalledWith({ csv, sendInvitations: true });
  });

  it('imports without emailing anyone when the merchant unticks the invitations', async () => {
    const onSubmit = vi.fn(async (_input: ImportPartnersInput) => result(0));
    renderWithProviders(<ImportPartnersForm onSubmit={onSubmit} />);
    const user = userEvent.setup();

    await user.click(screen.getByLabelText('Or paste CSV'));
    await user.paste(csv);
    await user.click(screen.getByRole('checkbox', { name: /Email each new partner/ }));
    await user.click(screen.getByRole('button', { name: 'Import' }));

    await waitFor(() => expect(onSubmit).toHaveBeenCalledWith({ csv, sendInvitations: false }));
    expect((await screen.findByText(/2 partners created/)).textContent).toBe('2 partners created.');
  });
});
