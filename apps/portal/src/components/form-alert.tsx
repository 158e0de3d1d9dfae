import { Alert } from '@mantine/core';

/** The form-level error; role="alert" makes screen readers read it as soon as it appears. */
export function FormAlert({ message }: { message: string | null }) {
  if (!message) return null;
  return (
    <Alert color="red" role="alert" className="form-alert">
      {message}
    </Alert>
  );
}
