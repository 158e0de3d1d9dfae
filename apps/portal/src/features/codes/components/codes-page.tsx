import { Badge, Card, Group, Skeleton, Stack, Text, Title } from '@mantine/core';
import type { PortalCode } from '@codetrack/contracts';
import { CopyText } from '../../../components/copy-text.tsx';
import { QueryError } from '../../../components/query-error.tsx';
import { useCodes } from '../api/get-codes.ts';
import { describeCodeStatus } from '../utils/describe-code-status.ts';

/** Every code assigned to the partner, ready to copy, and the referral link. */
export function CodesPage() {
  const codes = useCodes();

  return (
    <Stack gap="lg">
      <Title order={1} size="h2">
        My codes
      </Title>
      {codes.isPending ? (
        <Stack aria-label="Loading your codes">
          <Skeleton h={140} />
          <Skeleton h={80} />
        </Stack>
      ) : codes.isError ? (
        <QueryError error={codes.error} onRetry={() => void codes.refetch()} />
      ) : (
        <>
          {codes.data.items.length === 0 ? (
            <Text>You have no codes yet. The program will assign you one; it will appear here.</Text>
          ) : (
            <ul className="plain-list">
              {codes.data.items.map((code) => (
                <li key={code.id}>
                  <CodeCard code={code} />
                </li>
              ))}
            </ul>
          )}
          <Card withBorder padding="md" component="section" aria-labelledby="referral-link-title">
            <Stack gap="xs">
              <Title order={2} size="h4" id="referral-link-title">
                Your referral link
              </Title>
              <Text size="sm" c="dimmed">
                Visitors who arrive through this link are credited to you, even without a code.
              </Text>
              <Group gap="sm" wrap="nowrap" align="center">
                <Text className="break-anywhere" ff="monospace" size="sm" data-testid="referral-url">
                  {codes.data.referralUrl}
                </Text>
                <CopyText value={codes.data.referralUrl} label="referral link" />
              </Group>
            </Stack>
          </Card>
        </>
      )}
    </Stack>
  );
}

function CodeCard({ code }: { code: PortalCode }) {
  const status = describeCodeStatus(code.status);
  return (
    <Card withBorder padding="md" component="article" aria-label={`Code ${code.code}`}>
      <Stack gap="sm">
        <Group justify="space-between" wrap="wrap" gap="sm">
          <Group gap="sm" wrap="nowrap">
            <Text component="span" ff="monospace" fw={700} size="xl" className="code-text">
              {code.code}
            </Text>
            <CopyText value={code.code} label={`code ${code.code}`} />
          </Group>
          <Badge color={status.color} variant="light">
            {status.label}
          </Badge>
        </Group>
        <Text fw={500}>{code.discount}</Text>
        {status.hint ? (
          <Text size="sm" c="dimmed">
            {status.hint}
          </Text>
        ) : null}
        {code.status === 'active' ? (
          <Stack gap={4}>
            <Text size="sm" fw={600}>
              Suggested share line
            </Text>
            <Group gap="sm" wrap="nowrap" align="flex-start">
              <Text size="sm" className="share-line break-anywhere">
                {code.shareLine}
              </Text>
              <CopyText value={code.shareLine} label="share line" />
            </Group>
          </Stack>
        ) : null}
      </Stack>
    </Card>
  );
}
