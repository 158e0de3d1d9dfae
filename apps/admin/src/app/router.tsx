import { Center, Loader } from '@mantine/core';
import type { ComponentType } from 'react';
import { Navigate, type RouteObject } from 'react-router';
import { RouteError } from '@codetrack/web/route-error';
import { AppLayout } from '../components/app-layout.tsx';
import { RequireSession } from '../components/require-session.tsx';
import { describeApiError } from '../lib/describe-api-error.ts';

/** A route whose screen is its own chunk, loaded when the route is first visited. */
function screen(load: () => Promise<ComponentType>): Pick<RouteObject, 'lazy' | 'hydrateFallbackElement'> {
  return { lazy: async () => ({ Component: await load() }), hydrateFallbackElement: <PageLoader /> };
}

function PageLoader() {
  return (
    <Center h="100vh">
      <Loader aria-label="Loading" />
    </Center>
  );
}

export const routes: RouteObject[] = [
  { path: '/sign-in', ...screen(() => import('../features/auth/components/auth-page.tsx').then((m) => m.SignInPage)) },
  { path: '/sign-up', ...screen(() => import('../features/auth/components/auth-page.tsx').then((m) => m.SignUpPage)) },
  {
    path: '/',
    element: (
      <RequireSession>
        <AppLayout />
      </RequireSession>
    ),
    errorElement: <RouteError describeError={describeApiError} />,
    hydrateFallbackElement: <PageLoader />,
    children: [
      { index: true, element: <Navigate to="/programs" replace /> },
      { path: 'programs', ...screen(() => import('../features/programs/components/programs-page.tsx').then((m) => m.ProgramsPage)) },
      {
        path: 'programs/:programId',
        errorElement: <RouteError describeError={describeApiError} />,
        children: [
          { index: true, ...screen(() => import('../features/dashboard/components/dashboard-page.tsx').then((m) => m.DashboardPage)) },
          { path: 'settings', ...screen(() => import('../features/programs/components/program-settings-page.tsx').then((m) => m.ProgramSettingsPage)) },
          { path: 'partners', ...screen(() => import('../features/partners/components/partners-page.tsx').then((m) => m.PartnersPage)) },
          { path: 'partners/:partnerId', ...screen(() => import('../features/partners/components/partner-detail-page.tsx').then((m) => m.PartnerDetailPage)) },
          { path: 'coupons', ...screen(() => import('../features/coupons/components/coupons-page.tsx').then((m) => m.CouponsPage)) },
          { path: 'coupons/:couponId', ...screen(() => import('../features/coupons/components/coupon-page.tsx').then((m) => m.CouponPage)) },
          { path: 'codes', ...screen(() => import('../features/promotion-codes/components/codes-page.tsx').then((m) => m.CodesPage)) },
          { path: 'integrations', ...screen(() => import('../features/integrations/components/integrations-page.tsx').then((m) => m.IntegrationsPage)) },
          { path: 'integrations/:connectionId', ...screen(() => import('../features/integrations/components/connection-page.tsx').then((m) => m.ConnectionPage)) },
          { path: 'sales', ...screen(() => import('../features/sales/components/sales-page.tsx').then((m) => m.SalesPage)) },
          { path: 'commissions', ...screen(() => import('../features/sales/components/commissions-page.tsx').then((m) => m.CommissionsPage)) },
        ],
      },
      { path: 'settings/workspace', ...screen(() => import('../features/settings/components/workspace-settings-page.tsx').then((m) => m.WorkspaceSettingsPage)) },
      { path: 'settings/members', ...screen(() => import('../features/settings/components/members-page.tsx').then((m) => m.MembersPage)) },
      { path: 'settings/api-keys', ...screen(() => import('../features/settings/components/api-keys-page.tsx').then((m) => m.ApiKeysPage)) },
      { path: 'audit-log', ...screen(() => import('../features/audit/components/audit-log-page.tsx').then((m) => m.AuditLogPage)) },
      { path: '*', element: <Navigate to="/programs" replace /> },
    ],
  },
];
