import { Button, Container, Group, Text } from '@mantine/core';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { NavLink, Outlet, useNavigate } from 'react-router';
import { notifyError } from '../lib/notify.ts';
import { sessionQueryOptions, signInPath, signOut } from '../lib/session.ts';
import { ProgramMark } from './program-mark.tsx';
import { brandStyle } from './program-branding.ts';

const links = [
  { to: '/codes', label: 'My codes' },
  { to: '/results', label: 'Results' },
  { to: '/profile', label: 'Profile' },
];

/** The signed-in frame: the program's branding, the three pages and sign-out. */
export function PortalLayout() {
  const session = useQuery(sessionQueryOptions).data;
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const [signingOut, setSigningOut] = useState(false);
  if (!session) return null;
  const { program, partner } = session;

  async function handleSignOut() {
    setSigningOut(true);
    try {
      await signOut(queryClient);
      await navigate(signInPath(program.id), { replace: true });
    } catch (error) {
      notifyError(error, 'Could not sign out');
      setSigningOut(false);
    }
  }

  return (
    <div className="portal" style={brandStyle(program.accentColor)}>
      <header className="portal-header">
        <Container size="md" py="sm">
          <Group justify="space-between" wrap="nowrap" gap="sm">
            <ProgramMark program={program} />
            <Group gap="xs" wrap="nowrap">
              <Text size="sm" visibleFrom="xs" className="on-accent">
                {partner.name}
              </Text>
              <Button size="compact-sm" variant="white" color="dark" onClick={() => void handleSignOut()} loading={signingOut}>
                Sign out
              </Button>
            </Group>
          </Group>
        </Container>
      </header>
      <nav aria-label="Partner portal" className="portal-nav">
        <Container size="md">
          <ul>
            {links.map((link) => (
              <li key={link.to}>
                <NavLink to={link.to}>{link.label}</NavLink>
              </li>
            ))}
          </ul>
        </Container>
      </nav>
      <Container size="md" py="lg" component="main">
        <Outlet />
      </Container>
    </div>
  );
}
