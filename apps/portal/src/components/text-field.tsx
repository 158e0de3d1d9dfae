import { TextInput, type TextInputProps } from '@mantine/core';

type TextFieldProps = Omit<TextInputProps, 'id' | 'name' | 'description' | 'error' | 'label'> & {
  label: string;
  name: string;
  hint?: string;
  error?: string | undefined;
};

/** A labelled input whose hint and error are announced with it (Mantine wires aria-describedby). */
export function TextField({ label, name, hint, error, ...inputProps }: TextFieldProps) {
  return <TextInput {...inputProps} label={label} name={name} description={hint} error={error} aria-invalid={error ? true : undefined} />;
}
