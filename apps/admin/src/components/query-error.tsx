import { QueryError as QueryErrorAlert } from '@codetrack/web/query-error';
import { describeApiError } from '../lib/describe-api-error.ts';

/** A failed load in this app's words, with a way to try again. */
export function QueryError({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  return <QueryErrorAlert error={error} describeError={describeApiError} onRetry={onRetry} />;
}
