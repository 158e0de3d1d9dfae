import type { ComponentType } from 'react';
import { Navigate, type RouteObject } from 'react-router';
import { RouteError } from '@codetrack/web/route-error';
import { RequireSession } from '../components/require-session.tsx';
import { describeApiError } from '../lib/describe-api-error.ts';

/** A route whose page is its own chunk, loaded when the route is first visited. */
function page(load: () => Promise<ComponentType>): Pick<RouteObject, 'lazy'> {
  return { lazy: async () => ({ Component: await load() }) };
}

const routeError = <RouteError describeError={describeApiError} />;

export const routes: RouteObject[] = [
  { path: '/', errorElement: routeError, ...page(() => import('../features/auth/components/sign-in-page.tsx').then((m) => m.SignInPage)) },
  { path: '/accept-invitation', errorElement: routeError, ...page(() => import('../features/auth/components/accept-invitation-page.tsx').then((m) => m.AcceptInvitationPage)) },
  { path: '/forgot-password', errorElement: routeError, ...page(() => import('../features/auth/components/forgot-password-page.tsx').then((m) => m.ForgotPasswordPage)) },
  { path: '/reset-password', errorElement: routeError, ...page(() => import('../features/auth/components/reset-password-page.tsx').then((m) => m.ResetPasswordPage)) },
  { path: '/dev/mailbox', errorElement: routeError, ...page(() => import('../features/dev-mailbox/components/mailbox-page.tsx').then((m) => m.MailboxPage)) },
  {
    // The layout is its own chunk too: signed-out pages never need it.
    lazy: async () => {
      const { PortalLayout } = await import('../components/portal-layout.tsx');
      return {
        element: (
          <RequireSession>
            <PortalLayout />
          </RequireSession>
        ),
      };
    },
    errorElement: routeError,
    children: [
      { path: '/codes', ...page(() => import('../features/codes/components/codes-page.tsx').then((m) => m.CodesPage)) },
      { path: '/results', ...page(() => import('../features/results/components/results-page.tsx').then((m) => m.ResultsPage)) },
      { path: '/profile', ...page(() => import('../features/profile/components/profile-page.tsx').then((m) => m.ProfilePage)) },
    ],
  },
  { path: '*', element: <Navigate to="/codes" replace /> },
];
