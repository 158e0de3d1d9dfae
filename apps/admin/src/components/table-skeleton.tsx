import { Skeleton, Stack } from '@mantine/core';

/** Placeholder rows while a table loads, so the page does not jump when it arrives. */
export function TableSkeleton({ rows = 5 }: { rows?: number }) {
  return (
    <Stack gap="xs" aria-busy="true" aria-label="Loading">
      <Skeleton height={32} />
      {Array.from({ length: rows }, (_, index) => (
        <Skeleton key={index} height={24} />
      ))}
    </Stack>
  );
}
