import { Paper, Stack, Title } from '@mantine/core';
import type { PortalProgram } from '@codetrack/contracts';
import type { ReactNode } from 'react';
import { brandStyle } from '../../../components/program-branding.ts';
import { ProgramMark } from '../../../components/program-mark.tsx';

/** The narrow card every signed-out page sits in, with the program's branding when it is known. */
export function AuthFrame({ title, program, children }: { title: string; program?: PortalProgram | null | undefined; children: ReactNode }) {
  return (
    <div className="auth-page" style={brandStyle(program?.accentColor ?? null)}>
      {program ? <div className="auth-accent" aria-hidden="true" /> : null}
      <main className="auth-card">
        <Paper withBorder p={{ base: 'md', xs: 'xl' }} radius="md">
          <Stack gap="md">
            {program ? <ProgramMark program={program} size="lg" /> : null}
            <Title order={1} size="h2">
              {title}
            </Title>
            {children}
          </Stack>
        </Paper>
      </main>
    </div>
  );
}
