import { Alert, Button, Center } from '@mantine/core';
import { isRouteErrorResponse, useRouteError } from 'react-router';
import { ApiError } from './api-client.ts';

/**
 * A route's errorElement: shown when a page fails to load or render (a deployment replaced its
 * chunk, or a bug). `describeError` is the app's wording for API errors.
 */
export function RouteError({ describeError }: { describeError: (error: unknown) => string }) {
  const error = useRouteError();
  const message =
    error instanceof ApiError
      ? describeError(error)
      : isRouteErrorResponse(error)
        ? `${error.status} ${error.statusText}`
        : 'This page could not be shown. Reloading usually fixes it.';
  if (!(error instanceof ApiError)) console.error(error);
  return (
    <Center p="xl">
      <Alert color="red" title="Something went wrong" role="alert" maw={480}>
        {message}
        <Button mt="sm" display="block" variant="light" color="red" onClick={() => window.location.reload()}>
          Reload
        </Button>
      </Alert>
    </Center>
  );
}
