import { AppShell, Burger, Button, Divider, Group, NavLink, ScrollArea, Select, Text } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Suspense, useState } from 'react';
import { Link, Outlet, useLocation, useMatch, useNavigate } from 'react-router';
import { notifyError } from '../lib/notify.ts';
import { programsQueryOptions } from '../lib/program-lookups.ts';
import { hasRole, sessionQueryOptions, signOut } from '../lib/session.ts';
import { TableSkeleton } from './table-skeleton.tsx';

const programLinks = [
  { to: '', label: 'Dashboard' },
  { to: 'partners', label: 'Partners' },
  { to: 'coupons', label: 'Coupons' },
  { to: 'codes', label: 'Promotion codes' },
  { to: 'integrations', label: 'Integrations' },
  { to: 'sales', label: 'Sales' },
  { to: 'commissions', label: 'Commissions' },
  { to: 'settings', label: 'Program settings' },
] as const;

const workspaceLinks = [
  { to: '/programs', label: 'All programs', role: 'viewer' },
  { to: '/settings/workspace', label: 'Workspace settings', role: 'viewer' },
  { to: '/settings/members', label: 'Members', role: 'viewer' },
  { to: '/settings/api-keys', label: 'API keys', role: 'admin' },
  { to: '/audit-log', label: 'Audit log', role: 'admin' },
] as const;

/** The signed-in frame: header with program switcher and sign-out, navigation, the page. */
export function AppLayout() {
  const [opened, { toggle, close }] = useDisclosure();
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const location = useLocation();
  const session = useQuery(sessionQueryOptions);
  const programs = useQuery(programsQueryOptions());
  const programMatch = useMatch('/programs/:programId/*');
  const programId = programMatch?.params.programId;
  const [signingOut, setSigningOut] = useState(false);

  async function handleSignOut() {
    setSigningOut(true);
    try {
      await signOut(queryClient);
      navigate('/sign-in', { replace: true });
    } catch (error) {
      notifyError(error, 'Could not sign out');
    } finally {
      setSigningOut(false);
    }
  }

  const isActive = (to: string) => {
    const base = `/programs/${programId}`;
    const target = to === '' ? base : `${base}/${to}`;
    return to === '' ? location.pathname === base : location.pathname.startsWith(target);
  };

  return (
    <AppShell header={{ height: 56 }} navbar={{ width: 250, breakpoint: 'sm', collapsed: { mobile: !opened } }} padding="md">
      <a href="#main" className="skip-link">
        Skip to content
      </a>
      <AppShell.Header>
        <Group h="100%" px="md" justify="space-between" wrap="nowrap">
          <Group gap="sm" wrap="nowrap">
            <Burger opened={opened} onClick={toggle} hiddenFrom="sm" size="sm" aria-label="Toggle navigation" />
            <Text fw={700} component={Link} to="/programs" c="indigo.7" td="none">
              Codetrack
            </Text>
          </Group>
          <Group gap="sm" wrap="nowrap">
            <Text size="sm" c="dimmed" visibleFrom="sm">
              {session.data?.workspace.name}
            </Text>
            <Button variant="default" size="xs" onClick={handleSignOut} loading={signingOut}>
              Sign out
            </Button>
          </Group>
        </Group>
      </AppShell.Header>
      <AppShell.Navbar p="sm" aria-label="Main navigation">
        <AppShell.Section>
          <Select
            label="Program"
            placeholder={programs.data?.items.length ? 'Choose a program' : 'No programs yet'}
            data={(programs.data?.items ?? []).map((p) => ({ value: p.id, label: p.name }))}
            value={programId ?? null}
            onChange={(value) => {
              if (value) {
                navigate(`/programs/${value}`);
                close();
              }
            }}
            allowDeselect={false}
            mb="sm"
          />
        </AppShell.Section>
        <AppShell.Section grow component={ScrollArea}>
          <nav aria-label="Program">
            {programId
              ? programLinks.map((link) => (
                  <NavLink
                    key={link.to}
                    component={Link}
                    to={link.to === '' ? `/programs/${programId}` : `/programs/${programId}/${link.to}`}
                    label={link.label}
                    active={isActive(link.to)}
                    onClick={close}
                  />
                ))
              : null}
          </nav>
          <Divider my="sm" />
          <nav aria-label="Workspace">
            {workspaceLinks
              .filter((link) => hasRole(session.data, link.role))
              .map((link) => (
                <NavLink
                  key={link.to}
                  component={Link}
                  to={link.to}
                  label={link.label}
                  active={location.pathname === link.to}
                  onClick={close}
                />
              ))}
          </nav>
        </AppShell.Section>
        <AppShell.Section>
          <Text size="xs" c="dimmed">
            {session.data?.user.email} · {session.data?.role}
          </Text>
        </AppShell.Section>
      </AppShell.Navbar>
      <AppShell.Main id="main" tabIndex={-1}>
        <Suspense fallback={<TableSkeleton />}>
          <Outlet />
        </Suspense>
      </AppShell.Main>
    </AppShell>
  );
}
