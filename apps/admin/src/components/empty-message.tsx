import { EmptyState } from '@mantine/core';
import type { ReactNode } from 'react';

/** What an empty list says, and the one action that fills it. */
export function EmptyMessage({ title, description, action }: { title: string; description?: ReactNode; action?: ReactNode }) {
  return (
    <EmptyState title={title} description={description} py="xl">
      {action}
    </EmptyState>
  );
}
