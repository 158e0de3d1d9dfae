import { Alert, Badge, Button, Checkbox, Group, List, MultiSelect, Select, Stack, Table, Text, TextInput } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import type { BulkJob, GenerateCodesInput } from '@codetrack/contracts';
import { JobProgress } from '../../../components/job-progress.tsx';
import { describeApiError } from '../../../lib/describe-api-error.ts';
import type { GenerationPreview } from '../api/codes.ts';
import { checkPattern } from './check-pattern.ts';

type Option = { value: string; label: string };
type Status = 'invited' | 'active';

type BulkGenerateFormProps = {
  coupons: Option[];
  partners: Option[];
  initialCouponId?: string | null;
  onPreview: (couponId: string, input: GenerateCodesInput) => Promise<GenerationPreview>;
  onGenerate: (couponId: string, input: GenerateCodesInput) => Promise<BulkJob>;
  /** Runs when the generation job has finished (completed or failed). */
  onFinished: (job: BulkJob) => void;
};

/** One code per partner from a pattern: check it, preview results and collisions, then run it with a progress bar. */
export function BulkGenerateForm({ coupons, partners, initialCouponId, onPreview, onGenerate, onFinished }: BulkGenerateFormProps) {
  const [couponId, setCouponId] = useState<string | null>(initialCouponId ?? coupons[0]?.value ?? null);
  const [pattern, setPattern] = useState('{FIRSTNAME}{AMOUNT}');
  const [statuses, setStatuses] = useState<Status[]>(['invited', 'active']);
  const [partnerIds, setPartnerIds] = useState<string[]>([]);
  const [preview, setPreview] = useState<GenerationPreview | null>(null);
  const [job, setJob] = useState<BulkJob | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [patternTouched, setPatternTouched] = useState(false);
  const [pending, setPending] = useState<'preview' | 'generate' | null>(null);

  const partnerCount = partnerIds.length > 0 ? partnerIds.length : partners.length;
  const patternProblems = checkPattern(pattern, partnerCount);
  const showProblems = patternTouched && patternProblems.length > 0;

  function input(): GenerateCodesInput {
    return {
      pattern: pattern.trim(),
      partners: partnerIds.length > 0 ? { partnerIds } : { status: statuses },
      restrictions: {},
    };
  }

  function ready(): string | null {
    setPatternTouched(true);
    if (!couponId) return 'Choose a coupon.';
    if (patternProblems.length > 0) return 'Fix the pattern first.';
    if (partnerIds.length === 0 && statuses.length === 0) return 'Choose which partners get a code.';
    return null;
  }

  async function handlePreview() {
    const problem = ready();
    setError(problem);
    if (problem || !couponId) return;
    setPending('preview');
    try {
      setPreview(await onPreview(couponId, input()));
    } catch (caught) {
      setError(describeApiError(caught));
    } finally {
      setPending(null);
    }
  }

  async function handleGenerate(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const problem = ready();
    setError(problem);
    if (problem || !couponId) return;
    setPending('generate');
    try {
      setJob(await onGenerate(couponId, input()));
    } catch (caught) {
      setError(describeApiError(caught));
    } finally {
      setPending(null);
    }
  }

  if (job) {
    return (
      <Stack>
        <JobProgress jobId={job.id} label="Generating codes" onFinished={onFinished} />
        <Text size="sm" c="dimmed">
          You can close this window; the codes keep being created and synced in the background.
        </Text>
      </Stack>
    );
  }

  return (
    <form onSubmit={handleGenerate} noValidate aria-busy={pending !== null}>
      <Stack>
        {error ? (
          <Alert color="red" role="alert">
            {error}
          </Alert>
        ) : null}
        <Select label="Coupon" required data={coupons} value={couponId} onChange={(v) => { setCouponId(v); setPreview(null); }} />
        <div>
          <TextInput
            label="Pattern"
            description="Tokens: {FIRSTNAME}, {LASTNAME}, {NAME}, {PARTNERKEY}, {AMOUNT} (the discount, e.g. 20), {RANDOM4} (2 to 12 random characters)."
            value={pattern}
            onChange={(e) => {
              setPattern(e.currentTarget.value);
              setPatternTouched(true);
              setPreview(null);
            }}
            error={showProblems ? patternProblems[0] : undefined}
            spellCheck={false}
          />
          {showProblems && patternProblems.length > 1 ? (
            <List size="xs" c="red" mt={4}>
              {patternProblems.slice(1).map((p) => (
                <List.Item key={p}>{p}</List.Item>
              ))}
            </List>
          ) : null}
        </div>
        <MultiSelect
          label="Only these partners"
          description="Leave empty to give a code to every partner with the statuses below."
          data={partners}
          value={partnerIds}
          onChange={(ids) => { setPartnerIds(ids); setPreview(null); }}
          searchable
          clearable
        />
        {partnerIds.length === 0 ? (
          <Checkbox.Group label="Partner status" value={statuses} onChange={(v) => { setStatuses(v as Status[]); setPreview(null); }}>
            <Group mt={4}>
              <Checkbox value="active" label="Active" />
              <Checkbox value="invited" label="Invited" />
            </Group>
          </Checkbox.Group>
        ) : null}
        <Text size="xs" c="dimmed">
          Partners who already have a code of this coupon are skipped, so running it again is safe.
        </Text>
        {preview ? <PreviewResult preview={preview} /> : null}
        <Group justify="flex-end">
          <Button variant="default" onClick={() => void handlePreview()} loading={pending === 'preview'}>
            Preview
          </Button>
          <Button type="submit" loading={pending === 'generate'}>
            Generate codes
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

function PreviewResult({ preview }: { preview: GenerationPreview }) {
  return (
    <Stack gap="xs" aria-label="Preview" role="region">
      <Group gap="xs">
        <Badge variant="light">{preview.total} codes</Badge>
        {preview.skipped ? <Badge variant="light" color="gray">{preview.skipped} partners skipped (already have one)</Badge> : null}
        {preview.collisions.length ? <Badge variant="light" color="orange">{preview.collisions.length} collisions resolved</Badge> : null}
        {preview.failures.length ? <Badge variant="light" color="red">{preview.failures.length} cannot get a code</Badge> : null}
      </Group>
      {preview.sample.length > 0 ? (
        <Table.ScrollContainer minWidth={300}>
          <Table withTableBorder>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Partner</Table.Th>
                <Table.Th>Code</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {preview.sample.map((s) => (
                <Table.Tr key={s.partnerId}>
                  <Table.Td>{s.partnerName}</Table.Td>
                  <Table.Td ff="monospace">{s.code}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      ) : null}
      {preview.collisions.length > 0 ? (
        <div>
          <Text size="sm" fw={500}>
            Collisions (a code was taken, so a free variant is used)
          </Text>
          <List size="sm">
            {preview.collisions.slice(0, 20).map((c) => (
              <List.Item key={c.partnerId}>
                {c.wanted} → {c.resolvedTo}
              </List.Item>
            ))}
          </List>
        </div>
      ) : null}
      {preview.failures.length > 0 ? (
        <div>
          <Text size="sm" fw={500} c="red">
            Partners who will not get a code
          </Text>
          <List size="sm">
            {preview.failures.slice(0, 20).map((f) => (
              <List.Item key={f.partnerId}>{f.reason}</List.Item>
            ))}
          </List>
        </div>
      ) : null}
    </Stack>
  );
}
