import { Badge, Group, Tooltip, UnstyledButton } from '@mantine/core';
import type { PromotionCode } from '@codetrack/contracts';
import { formatDateTime, platformNames } from '../../../lib/format.ts';

const colors = { pending: 'yellow', synced: 'teal', failed: 'red', deleted: 'gray' } as const;

type SyncBadgesProps = {
  sync: PromotionCode['sync'];
  /** Offered on failed platforms only. */
  onRetry?: (connectionId: string) => void;
};

/** One badge per platform the code syncs to; the error shows on hover or focus, a failed one retries on click. */
export function SyncBadges({ sync, onRetry }: SyncBadgesProps) {
  if (sync.length === 0) return <Badge variant="outline" color="gray">not synced</Badge>;
  return (
    <Group gap={4} wrap="wrap">
      {sync.map((s) => {
        const label = `${platformNames[s.platform]}: ${s.state}`;
        const tip =
          s.state === 'failed'
            ? `${s.lastError ?? 'Sync failed'}${onRetry ? ' — click to retry' : ''}`
            : s.state === 'synced'
              ? `Synced ${formatDateTime(s.lastSyncedAt)}`
              : s.state === 'pending'
                ? 'Waiting to be created on the platform'
                : 'Removed from the platform';
        const badge = (
          <Badge color={colors[s.state]} variant="light" data-sync-state={s.state}>
            {label}
          </Badge>
        );
        return (
          <Tooltip key={s.connectionId} label={tip} multiline maw={320} withArrow>
            {s.state === 'failed' && onRetry ? (
              <UnstyledButton onClick={() => onRetry(s.connectionId)} aria-label={`${label}. ${tip}`}>
                {badge}
              </UnstyledButton>
            ) : (
              <span tabIndex={0} aria-label={`${label}. ${tip}`}>
                {badge}
              </span>
            )}
          </Tooltip>
        );
      })}
    </Group>
  );
}
