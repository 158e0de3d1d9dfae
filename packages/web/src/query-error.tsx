import { Alert, Button } from '@mantine/core';

type QueryErrorProps = {
  error: unknown;
  /** The app's wording for API errors (see createErrorDescriber). */
  describeError: (error: unknown) => string;
  onRetry?: () => void;
};

/** A failed load in one plain sentence, with a way to try again. */
export function QueryError({ error, describeError, onRetry }: QueryErrorProps) {
  return (
    <Alert color="red" title="Could not load this" role="alert" w="100%">
      {describeError(error)}
      {onRetry ? (
        <Button variant="light" color="red" size="xs" mt="sm" display="block" onClick={onRetry}>
          Try again
        </Button>
      ) : null}
    </Alert>
  );
}
