import { Alert, Button, Group, Paper, Stack, TagsInput, TextInput } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { PageHeader } from '../../../components/page-header.tsx';
import { QueryError } from '../../../components/query-error.tsx';
import { TableSkeleton } from '../../../components/table-skeleton.tsx';
import { describeApiError } from '../../../lib/describe-api-error.ts';
import { notifySuccess } from '../../../lib/notify.ts';
import { hasRole, sessionQueryOptions } from '../../../lib/session.ts';
import { useUpdateWorkspace, workspaceQueryOptions, type Workspace } from '../api/settings.ts';

export function WorkspaceSettingsPage() {
  const workspace = useQuery(workspaceQueryOptions());
  if (workspace.isPending) return <TableSkeleton rows={2} />;
  if (workspace.isError) return <QueryError error={workspace.error} onRetry={() => void workspace.refetch()} />;
  return <WorkspaceForm key={workspace.data.name + workspace.data.reservedWords.join()} workspace={workspace.data} />;
}

function WorkspaceForm({ workspace }: { workspace: Workspace }) {
  const session = useQuery(sessionQueryOptions);
  const update = useUpdateWorkspace();
  const [name, setName] = useState(workspace.name);
  const [words, setWords] = useState(workspace.reservedWords);
  const [errors, setErrors] = useState<{ name?: string; words?: string }>({});
  const [formError, setFormError] = useState<string | null>(null);
  const canEdit = hasRole(session.data, 'admin');

  async function handleSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const bad = words.find((w) => !/^[A-Za-z0-9_-]{2,32}$/.test(w));
    const next = {
      ...(name.trim() === '' ? { name: 'Enter a workspace name.' } : {}),
      ...(bad ? { words: `“${bad}” is not allowed: use 2 to 32 letters, digits, - or _.` } : {}),
    };
    setErrors(next);
    setFormError(null);
    if (Object.keys(next).length > 0) return;
    try {
      await update.mutateAsync({ name: name.trim(), reservedWords: words });
      notifySuccess('Workspace saved.');
    } catch (error) {
      setFormError(describeApiError(error));
    }
  }

  return (
    <>
      <PageHeader title="Workspace settings" />
      <Paper withBorder p="md" maw={640}>
        <form onSubmit={handleSubmit} noValidate>
          <Stack>
            {formError ? <Alert color="red" role="alert">{formError}</Alert> : null}
            <TextInput label="Workspace name" value={name} onChange={(e) => setName(e.currentTarget.value)} error={errors.name} disabled={!canEdit} />
            <TagsInput
              label="Reserved words"
              description="No promotion code may contain these words (e.g. your brand, FREE, TEST). Press Enter after each."
              value={words}
              onChange={(v) => setWords(v.map((w) => w.toUpperCase()))}
              error={errors.words}
              disabled={!canEdit}
              clearable
            />
            {canEdit ? (
              <Group justify="flex-end">
                <Button type="submit" loading={update.isPending}>
                  Save
                </Button>
              </Group>
            ) : null}
          </Stack>
        </form>
      </Paper>
    </>
  );
}
