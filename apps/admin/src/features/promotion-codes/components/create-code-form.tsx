import { Alert, Button, Fieldset, Group, List, Loader, Select, Stack, Text, TextInput } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useQuery } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import type { CreatePromotionCodeInput, PromotionCode } from '@codetrack/contracts';
import { ApiError } from '@codetrack/web/api-client';
import { describeApiError } from '../../../lib/describe-api-error.ts';
import { platformNames } from '../../../lib/format.ts';
import { codeCheckQueryOptions } from '../api/codes.ts';
import { RestrictionFields, emptyRestrictions, validateRestrictions, type RestrictionErrors } from './restriction-fields.tsx';

type Option = { value: string; label: string };

type CreateCodeFormProps = {
  coupons: Option[];
  partners: Option[];
  currency: string;
  initialCouponId?: string | null;
  onSubmit: (couponId: string, input: CreatePromotionCodeInput) => Promise<PromotionCode>;
};

/** One code, checked as it is typed: format, platforms that refuse its characters, reserved words, taken. */
export function CreateCodeForm({ coupons, partners, currency, initialCouponId, onSubmit }: CreateCodeFormProps) {
  const [couponId, setCouponId] = useState<string | null>(initialCouponId ?? coupons[0]?.value ?? null);
  const [code, setCode] = useState('');
  const [partnerId, setPartnerId] = useState<string | null>(null);
  const [restrictions, setRestrictions] = useState(emptyRestrictions);
  const [restrictionErrors, setRestrictionErrors] = useState<RestrictionErrors>({});
  const [couponError, setCouponError] = useState<string | null>(null);
  const [formError, setFormError] = useState<string | null>(null);
  const [suggestions, setSuggestions] = useState<string[]>([]);
  const [pending, setPending] = useState(false);
  const [debouncedCode] = useDebouncedValue(code.trim(), 300);

  const check = useQuery({
    ...codeCheckQueryOptions(couponId ?? '', debouncedCode),
    enabled: Boolean(couponId) && debouncedCode !== '',
  });
  const checking = code.trim() !== '' && (debouncedCode !== code.trim() || check.isFetching);
  const problems = debouncedCode === code.trim() ? (check.data?.problems ?? []) : [];
  const shownSuggestions = suggestions.length > 0 ? suggestions : debouncedCode === code.trim() ? (check.data?.suggestions ?? []) : [];

  async function handleSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setFormError(null);
    const checked = validateRestrictions(restrictions, currency);
    setRestrictionErrors(checked.errors);
    if (!couponId) {
      setCouponError('Choose the coupon this code belongs to.');
      return;
    }
    if (Object.keys(checked.errors).length > 0) return;
    if (problems.length > 0) {
      setFormError('Fix the code first; see the problems below it.');
      return;
    }
    setPending(true);
    try {
      await onSubmit(couponId, { code: code.trim() || undefined, partnerId, restrictions: checked.input });
    } catch (error) {
      setFormError(describeApiError(error));
      if (error instanceof ApiError) setSuggestions(error.suggestions);
    } finally {
      setPending(false);
    }
  }

  return (
    <form onSubmit={handleSubmit} noValidate aria-busy={pending}>
      <Stack>
        {formError ? (
          <Alert color="red" role="alert">
            {formError}
          </Alert>
        ) : null}
        <Select
          label="Coupon"
          required
          data={coupons}
          value={couponId}
          onChange={(v) => {
            setCouponId(v);
            setCouponError(null);
          }}
          error={couponError}
        />
        <div>
          <TextInput
            label="Code"
            description="What customers type at checkout. Leave empty for a random readable code."
            value={code}
            onChange={(e) => {
              setCode(e.currentTarget.value);
              setSuggestions([]);
            }}
            rightSection={checking ? <Loader size="xs" aria-label="Checking the code" /> : null}
            error={problems.length > 0 ? `${problems.length === 1 ? 'This code cannot be used' : `${problems.length} problems`}` : undefined}
            aria-describedby="code-check"
            spellCheck={false}
            autoCapitalize="characters"
          />
          <div id="code-check" aria-live="polite">
            {problems.length > 0 ? (
              <List size="sm" c="red" mt={4}>
                {problems.map((p) => (
                  <List.Item key={`${p.code}-${p.platform ?? ''}`}>
                    {p.platform ? `${platformNames[p.platform]}: ` : ''}
                    {p.message}
                  </List.Item>
                ))}
              </List>
            ) : null}
            {!checking && check.data?.ok && debouncedCode === code.trim() && code.trim() !== '' ? (
              <Text size="sm" c="teal.8" mt={4}>
                {check.data.normalizedCode} is available.
              </Text>
            ) : null}
          </div>
          {shownSuggestions.length > 0 ? (
            <Group gap="xs" mt="xs" aria-label="Suggested free codes">
              <Text size="sm">Free instead:</Text>
              {shownSuggestions.map((s) => (
                <Button
                  key={s}
                  size="compact-sm"
                  variant="light"
                  onClick={() => {
                    setCode(s);
                    setSuggestions([]);
                    setFormError(null);
                  }}
                >
                  {s}
                </Button>
              ))}
            </Group>
          ) : null}
        </div>
        <Select label="Partner" description="Who earns the commission for orders with this code." data={partners} value={partnerId} onChange={setPartnerId} searchable clearable placeholder="No partner (unassigned)" />
        <Fieldset legend="Restrictions (override the coupon's defaults)">
          <Stack>
            <RestrictionFields values={restrictions} errors={restrictionErrors} currency={currency} onChange={setRestrictions} />
          </Stack>
        </Fieldset>
        <Group justify="flex-end">
          <Button type="submit" loading={pending} disabled={checking}>
            Create code
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
