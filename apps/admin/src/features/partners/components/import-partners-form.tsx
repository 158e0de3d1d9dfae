import { Alert, Button, Checkbox, FileInput, Group, List, Stack, Text, Textarea } from '@mantine/core';
import { useState } from 'react';
import type { ImportPartnersInput, PartnerImportResult } from '@codetrack/contracts';
import { ApiError } from '@codetrack/web/api-client';
import { describeApiError } from '../../../lib/describe-api-error.ts';

const invitationEmails = (n: number) => `${n} invitation email${n === 1 ? '' : 's'}`;

/** CSV in (email, name, optional code), all rows or none; the row errors listed when it is refused. */
export function ImportPartnersForm({ onSubmit }: { onSubmit: (input: ImportPartnersInput) => Promise<PartnerImportResult> }) {
  const [csv, setCsv] = useState('');
  const [sendInvitations, setSendInvitations] = useState(true);
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
      setResult(await onSubmit({ csv, sendInvitations }));
    } catch (caught) {
      setError(describeApiError(caught));
      if (caught instanceof ApiError) setRowErrors(caught.details);
    } finally {
      setPending(false);
    }
  }

  if (result) {
    const unsent = sendInvitations ? result.created - result.invitationsSent : 0;
    return (
      <Alert color="teal" title="Import done">
        {result.created} partners created{result.codes.length ? `, ${result.codes.length} codes from the file` : ''}
        {sendInvitations ? `, ${invitationEmails(result.invitationsSent)} sent` : ''}.
        {unsent > 0 ? ` ${invitationEmails(unsent)} could not be sent; give those partners a new invitation link from their page.` : ''}
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
      <Checkbox
        label="Email each new partner their invitation link"
        description="Off: nobody is emailed; give partners an invitation link from their page later."
        checked={sendInvitations}
        onChange={(e) => setSendInvitations(e.currentTarget.checked)}
      />
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
