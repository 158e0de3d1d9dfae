import '@mantine/core/styles.css';
import '@mantine/notifications/styles.css';
import './styles.css';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { createBrowserRouter, RouterProvider } from 'react-router';
import { setApiBaseUrl } from '@codetrack/web/api-client';
import { parseConfig } from '@codetrack/web/config';
import { createQueryClient } from '@codetrack/web/query-client';
import { AppProvider } from './app/provider.tsx';
import { routes } from './app/router.tsx';

// Config first: a bad environment stops the app here, before anything renders.
setApiBaseUrl(parseConfig(import.meta.env).apiBaseUrl);

const container = document.getElementById('root');
if (!container) throw new Error('index.html has no #root element');

const queryClient = createQueryClient();
const router = createBrowserRouter(routes);

createRoot(container).render(
  <StrictMode>
    <AppProvider queryClient={queryClient}>
      <RouterProvider router={router} />
    </AppProvider>
  </StrictMode>,
);
