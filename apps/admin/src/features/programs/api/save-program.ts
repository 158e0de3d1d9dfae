import type { CreateProgramInput, Program, UpdateProgramInput } from '@codetrack/contracts';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { apiRequest } from '@codetrack/web/api-client';
import { programKeys } from '../../../lib/program-lookups.ts';

export function createProgram(input: CreateProgramInput): Promise<Program> {
  return apiRequest<Program>('/api/programs', { method: 'POST', body: input });
}

export function updateProgram(programId: string, input: UpdateProgramInput): Promise<Program> {
  return apiRequest<Program>(`/api/programs/${programId}`, { method: 'PATCH', body: input });
}

export function useCreateProgram() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: createProgram,
    onSuccess: (program) => {
      queryClient.setQueryData(programKeys.one(program.id), program);
      return queryClient.invalidateQueries({ queryKey: programKeys.list() });
    },
  });
}

export function useUpdateProgram(programId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: UpdateProgramInput) => updateProgram(programId, input),
    onSuccess: (program) => {
      queryClient.setQueryData(programKeys.one(program.id), program);
      return queryClient.invalidateQueries({ queryKey: programKeys.list() });
    },
  });
}

export function useSetProgramArchived(programId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (archived: boolean) =>
      apiRequest<Program>(`/api/programs/${programId}/${archived ? 'archive' : 'unarchive'}`, { method: 'POST' }),
    onSuccess: (program) => {
      queryClient.setQueryData(programKeys.one(program.id), program);
      return queryClient.invalidateQueries({ queryKey: programKeys.list() });
    },
  });
}
