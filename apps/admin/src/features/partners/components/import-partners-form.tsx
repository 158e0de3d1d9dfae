import { Alert, Button, FileInput, Group, List, Stack, Text, Textarea } from '@mantine/core';
import { useState } from 'react';
import type { PartnerImportResult } from '@codetrack/contracts';
import { ApiError } from '../../../lib/api-client.ts';
import { describeApiError } from '../../../lib/describe-api-error.ts';

/** CSV in (email, name, optional code), all rows or none; the row errors listed when it is refused. */
export function ImportPartnersForm({ onSubmit }: { onSubmit: (csv: string) => Promise<PartnerImportResult> }) {
  const [csv, setCsv] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [rowErrors, setRowErrors] = useState<{ path: string; message: string }[]>([]);
  const [result, setResult] = useState<PartnerImportResult | null>(null);
  const [pending, setPending] = useState(false);

  async function handleImport() {
    setError(null);
    setRowErrors([]);
    if (csv.trim() === '') {
      setError('Choose a CSV file or paste its content.');
      return;
    }
    setPending(true);
    try {
      setResult(await onSubmit(csv));
    } catch (caught) {
      setError(describeApiError(caught));
      if (caught instanceof ApiError) setRowErrors(caught.details);
    } finally {
      setPending(false);
    }
  }

  if (result) {
    return (
      <Alert color="teal" title="Import done">
        {result.created} partners created{result.codes.length ? `, ${result.codes.length} codes from the file` : ''}.
      </Alert>
    );
  }

  return (
    <Stack>
      <Text size="sm">A header row with email and name (and optionally code), then one partner per row. If any row has a problem, nothing is imported.</Text>
      <FileInput
        label="CSV file"
        accept=".csv,text/csv"
        placeholder="Choose a file"
        onChange={(file) => {
          if (file) void file.text().then(setCsv);
        }}
      />
      <Textarea label="Or paste CSV" autosize minRows={4} maxRows={12} value={csv} onChange={(e) => setCsv(e.currentTarget.value)} placeholder={'email,name,code\njohn@example.com,John Smith,JOHN20'} />
      {error ? (
        <Alert color="red" role="alert" title={error}>
          {rowErrors.length > 0 ? (
            <List size="sm">
              {rowErrors.slice(0, 50).map((d, index) => (
                <List.Item key={index}>
                  {d.path}: {d.message}
                </List.Item>
              ))}
            </List>
          ) : null}
        </Alert>
      ) : null}
      <Group justify="flex-end">
        <Button onClick={() => void handleImport()} loading={pending}>
          Import
        </Button>
      </Group>
    </Stack>
  );
}
