import { Alert, Button } from '@mantine/core';
import { describeApiError } from '../lib/describe-api-error.ts';

/** A failed load in one plain sentence, with a way to try again. */
export function QueryError({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  return (
    <Alert color="red" title="Could not load this" role="alert" w="100%">
      {describeApiError(error)}
      {onRetry ? (
        <Button variant="light" color="red" size="xs" mt="sm" display="block" onClick={onRetry}>
          Try again
        </Button>
      ) : null}
    </Alert>
  );
}
