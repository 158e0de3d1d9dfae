import { Anchor, Button, Card, Container, Group, Skeleton, Stack, Text, Title } from '@mantine/core';
import type { DevMailMessage } from '@codetrack/contracts';
import { ApiError } from '@codetrack/web/api-client';
import { QueryError } from '../../../components/query-error.tsx';
import { formatDate } from '../../../lib/format.ts';
import { useMailbox } from '../api/get-mailbox.ts';
import { splitLinks } from '../utils/split-links.ts';

/** Development mailbox: the mail the API would have sent, when no SMTP server is configured. */
export function MailboxPage() {
  const mailbox = useMailbox();
  return (
    <Container size="md" py="lg" component="main">
      <Stack gap="md">
        <Group justify="space-between">
          <Title order={1} size="h2">
            Development mailbox
          </Title>
          <Button variant="light" onClick={() => void mailbox.refetch()} loading={mailbox.isFetching}>
            Refresh
          </Button>
        </Group>
        <Text size="sm" c="dimmed">
          Without an SMTP server, mail the API sends is kept here so every flow can be tried. This page does not exist in production.
        </Text>
        {mailbox.isPending ? (
          <Skeleton h={120} aria-label="Loading mail" />
        ) : mailbox.isError ? (
          mailbox.error instanceof ApiError && mailbox.error.status === 404 ? (
            <Text role="alert">The development mailbox is not available on this server: it sends real email.</Text>
          ) : (
            <QueryError error={mailbox.error} onRetry={() => void mailbox.refetch()} />
          )
        ) : mailbox.data.items.length === 0 ? (
          <Text>No mail yet.</Text>
        ) : (
          <ul className="plain-list">
            {mailbox.data.items.map((mail) => (
              <li key={mail.id}>
                <MailCard mail={mail} />
              </li>
            ))}
          </ul>
        )}
      </Stack>
    </Container>
  );
}

function MailCard({ mail }: { mail: DevMailMessage }) {
  return (
    <Card withBorder padding="md" component="article" aria-label={`${mail.subject}, to ${mail.to}`}>
      <Stack gap={4}>
        <Text fw={700}>{mail.subject}</Text>
        <Text size="sm" c="dimmed">
          To {mail.to} · {formatDate(mail.createdAt)} {new Date(mail.createdAt).toISOString().slice(11, 16)} UTC
        </Text>
        <Text size="sm" className="mail-text">
          {splitLinks(mail.text).map((part, i) =>
            part.kind === 'link' ? (
              <Anchor key={i} href={part.href} className="break-anywhere">
                {part.href}
              </Anchor>
            ) : (
              <span key={i}>{part.text}</span>
            ),
          )}
        </Text>
      </Stack>
    </Card>
  );
}
