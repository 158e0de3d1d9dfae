import { Badge, Tooltip } from '@mantine/core';
import type { Connection } from '@codetrack/contracts';

const colors = { connected: 'teal', pending: 'yellow', error: 'red', disabled: 'gray' } as const;

export function ConnectionStatusBadge({ connection }: { connection: Pick<Connection, 'status' | 'lastError'> }) {
  const badge = (
    <Badge color={colors[connection.status]} variant="light" tabIndex={connection.lastError ? 0 : undefined}>
      {connection.status}
    </Badge>
  );
  return connection.lastError ? (
    <Tooltip label={connection.lastError} multiline maw={320} withArrow>
      {badge}
    </Tooltip>
  ) : (
    badge
  );
}
