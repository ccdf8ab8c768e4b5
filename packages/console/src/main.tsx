import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { createBrowserRouter, RouterProvider } from 'react-router';
import { ApiError } from './api/client';
import { SessionProvider, useSession } from './auth/session';
import { SignInPage } from './auth/SignInPage';
import { Layout } from './layout/Layout';
import { AllowancesPage } from './pages/AllowancesPage';
import { ClosingsPage } from './pages/ClosingsPage';
import { DeadLettersPage } from './pages/DeadLettersPage';
import { NotFoundPage } from './pages/NotFoundPage';
import { OverviewPage } from './pages/OverviewPage';
import { ReconciliationPage } from './pages/ReconciliationPage';
import { RunDetailPage } from './pages/RunDetailPage';
import { RunJobPage } from './pages/RunJobPage';
import { RunsPage } from './pages/RunsPage';
import { SettlementConfigPage } from './pages/SettlementConfigPage';
import './styles.css';

const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      // A refusal (4xx) will not change by asking again; a dropped connection may.
      retry: (count, error) => count < 2 && !(error instanceof ApiError && error.status >= 400 && error.status < 500),
      staleTime: 10_000,
    },
  },
});

const router = createBrowserRouter(
  [
    {
      path: '/',
      element: <Layout />,
      children: [
        { index: true, element: <OverviewPage /> },
        { path: 'runs', element: <RunsPage /> },
        { path: 'runs/:id', element: <RunDetailPage /> },
        { path: 'run-job', element: <RunJobPage /> },
        { path: 'settlement', element: <SettlementConfigPage /> },
        { path: 'dead-letters', element: <DeadLettersPage /> },
        { path: 'allowances', element: <AllowancesPage /> },
        { path: 'closings', element: <ClosingsPage /> },
        { path: 'reconciliation', element: <ReconciliationPage /> },
        { path: '*', element: <NotFoundPage /> },
      ],
    },
  ],
  { basename: '/console' },
);

function Console() {
  const { claims } = useSession();
  return claims === null ? <SignInPage /> : <RouterProvider router={router} />;
}

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <QueryClientProvider client={queryClient}>
      <SessionProvider>
        <Console />
      </SessionProvider>
    </QueryClientProvider>
  </StrictMode>,
);
