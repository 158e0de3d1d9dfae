import { Alert, Button, Center } from '@mantine/core';
import { isRouteErrorResponse, useRouteError } from 'react-router';
import { describeApiError } from '../lib/describe-api-error.ts';
import { ApiError } from '../lib/api-client.ts';

/** Shown when a screen fails to load or render: a deployment replaced its chunk, or a bug. */
export function RouteError() {
  const error = useRouteError();
  const message =
    error instanceof ApiError
      ? describeApiError(error)
      : isRouteErrorResponse(error)
        ? `${error.status} ${error.statusText}`
        : 'This screen could not be shown. Reloading usually fixes it.';
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
