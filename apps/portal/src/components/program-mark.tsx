import { Group, Text } from '@mantine/core';
import type { PortalProgram } from '@codetrack/contracts';

/** The program's logo and name; the logo is decorative because the name is written beside it. */
export function ProgramMark({ program, size = 'md' }: { program: Pick<PortalProgram, 'name' | 'logoUrl'>; size?: 'md' | 'lg' }) {
  return (
    <Group gap="sm" wrap="nowrap" style={{ minWidth: 0 }}>
      {program.logoUrl ? <img src={program.logoUrl} alt="" className={`program-logo program-logo-${size}`} /> : null}
      <Text fw={700} size={size === 'lg' ? 'xl' : 'lg'} truncate className="program-name">
        {program.name}
      </Text>
    </Group>
  );
}
