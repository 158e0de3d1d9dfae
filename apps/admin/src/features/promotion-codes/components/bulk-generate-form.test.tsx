import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import type { BulkJob, GenerateCodesInput } from '@codetrack/contracts';
import { jsonResponse, mockApi } from '@codetrack/web/testing/mock-api';
import { renderWithProviders } from '../../../testing/render.tsx';
import type { GenerationPreview } from '../api/codes.ts';
import { BulkGenerateForm } from './bulk-generate-form.tsx';

const coupons = [{ value: 'cpn_1', label: 'Partner 20%' }];
const partners = [
  { value: 'prt_1', label: 'John Smith' },
  { value: 'prt_2', label: 'John Smythe' },
];

function job(overrides: Partial<BulkJob>): BulkJob {
  return { id: 'job_1', type: 'generate_codes', status: 'queued', total: 2, done: 0, failed: 0, result: null, error: null, createdAt: '', updatedAt: '', finishedAt: null, ...overrides };
}

const preview: GenerationPreview = {
  total: 2,
  skipped: 0,
  sample: [
    { partnerId: 'prt_1', partnerName: 'John Smith', code: 'JOHN20' },
    { partnerId: 'prt_2', partnerName: 'John Smythe', code: 'JOHN20-2' },
  ],
  collisions: [{ partnerId: 'prt_2', wanted: 'JOHN20', resolvedTo: 'JOHN20-2' }],
  failures: [],
};

function renderForm() {
  const onPreview = vi.fn(async (_couponId: string, _input: GenerateCodesInput) => preview);
  const onGenerate = vi.fn(async (_couponId: string, _input: GenerateCodesInput) => job({}));
  const onFinished = vi.fn();
  renderWithProviders(<BulkGenerateForm coupons={coupons} partners={partners} onPreview={onPreview} onGenerate={onGenerate} onFinished={onFinished} />);
  return { onPreview, onGenerate, onFinished };
}

describe('BulkGenerateForm', () => {
  it('catches an unknown token and a pattern that gives everyone the same code before asking the API', async () => {
    const { onPreview, onGenerate } = renderForm();
    const user = userEvent.setup();
    const pattern = screen.getByLabelText('Pattern');

    // paste, not type: user-event reads '{' as the start of a key name.
    await user.clear(pattern);
    await user.paste('SAVE{PERCENT');
    expect(await screen.findByText(/is missing its closing/)).toBeTruthy();

    await user.clear(pattern);
    await user.paste('SAVE{PERCENT}');
    expect(await screen.findByText(/\{PERCENT\} is not a known token/)).toBeTruthy();

    await user.clear(pattern);
    await user.paste('SAVE20');
    expect(await screen.findByText('Every partner would get the same code; add {PARTNERKEY}, a name token or a {RANDOM4} token.')).toBeTruthy();

    await user.click(screen.getByRole('button', { name: 'Preview' }));
    await user.click(screen.getByRole('button', { name: 'Generate codes' }));
    expect(onPreview).not.toHaveBeenCalled();
    expect(onGenerate).not.toHaveBeenCalled();
  });

  it('previews the codes and the collisions it resolved', async () => {
    const { onPreview } = renderForm();
    const user = userEvent.setup();

    await user.click(screen.getByRole('button', { name: 'Preview' }));

    const region = await screen.findByRole('region', { name: 'Preview' });
    expect(region.textContent).toContain('2 codes');
    expect(region.textContent).toContain('1 collisions resolved');
    expect(region.textContent).toContain('JOHN20 → JOHN20-2');
    expect(onPreview).toHaveBeenCalledWith('cpn_1', { pattern: '{FIRSTNAME}{AMOUNT}', partners: { status: ['invited', 'active'] }, restrictions: {} });
  });

  it('runs the job with a progress bar and reports when it is done', async () => {
    let polls = 0;
    mockApi({
      'GET /api/jobs/job_1': () => {
        polls += 1;
        return jsonResponse(200, polls === 1 ? job({ status: 'running', done: 1 }) : job({ status: 'completed', done: 2 }));
      },
    });
    const { onGenerate, onFinished } = renderForm();
    const user = userEvent.setup();

    await user.click(screen.getByRole('button', { name: 'Generate codes' }));

    expect(await screen.findByText('1 of 2 done')).toBeTruthy();
    expect(screen.getByRole('progressbar', { name: 'Generating codes' }).getAttribute('aria-valuenow')).toBe('50');
    expect(await screen.findByText('Done: 2 of 2', {}, { timeout: 4000 })).toBeTruthy();
    await waitFor(() => expect(onFinished).toHaveBeenCalledTimes(1));
    expect(onFinished.mock.calls[0]?.[0]).toMatchObject({ status: 'completed', done: 2 });
    expect(onGenerate).toHaveBeenCalledTimes(1);
  });
});
