import { lazy, Suspense, type ComponentType } from 'react';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { BrowserRouter, Navigate, Route, Routes, useLocation } from 'react-router-dom';
import { ApiError } from './lib/api';
import { AuthProvider, useAuth } from './contexts/AuthContext';
import { CoachProvider } from './contexts/CoachContext';
import { HubProvider } from './contexts/HubContext';
import { ThemeProvider } from './contexts/ThemeContext';
import { Layout } from './components/Layout';
import { Spinner } from './components/ui';
import Login from './pages/Login';
import Today from './pages/Today';
import Contacts from './pages/Contacts';
import ContactDetail from './pages/ContactDetail';
import Deals from './pages/Deals';
import Tasks from './pages/Tasks';
import NotFound from './pages/NotFound';

// Pages visited less often than Today and the CRM lists load on first use,
// so the first page's bundle stays small.
const Patterns = lazy(() => import('./pages/Patterns'));
const Leads = lazy(() => import('./pages/Leads'));
const Week = lazy(() => import('./pages/Week'));
const Month = lazy(() => import('./pages/Month'));
const Goals = lazy(() => import('./pages/Goals'));
const Notifications = lazy(() => import('./pages/Notifications'));
const Profile = lazy(() => import('./pages/Profile'));
const Leaderboard = lazy(() => import('./pages/Leaderboard'));
const Rewards = lazy(() => import('./pages/Rewards'));
const Feed = lazy(() => import('./pages/Feed'));
const Competitions = lazy(() => import('./pages/Competitions'));
const Settings = lazy(() => import('./pages/Settings'));
const CompetitionDetail = lazy(() => import('./pages/Competitions').then((m) => ({ default: m.CompetitionDetail })));

function Lazy({ page: Page }: { page: ComponentType }) {
  return (
    <Suspense
      fallback={
        <div className="flex h-64 items-center justify-center">
          <Spinner label="Loading" />
        </div>
      }
    >
      <Page />
    </Suspense>
  );
}

const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      staleTime: 15_000,
      refetchOnWindowFocus: true,
      // 4xx answers are final (not found, no access, logged out): no retries.
      retry: (count, error) => !(error instanceof ApiError && error.status >= 400 && error.status < 500) && count < 2,
    },
  },
});

function RequireAuth({ children }: { children: React.ReactNode }) {
  const { user, loading } = useAuth();
  const location = useLocation();
  if (loading)
    return (
      <div className="flex h-screen items-center justify-center">
        <Spinner label="Loading ChosenCRM" />
      </div>
    );
  if (!user) return <Navigate to="/login" replace state={{ from: location.pathname + location.search }} />;
  return <>{children}</>;
}

export function App() {
  return (
    <QueryClientProvider client={queryClient}>
      <ThemeProvider>
        <BrowserRouter>
          <AuthProvider>
            <Routes>
              <Route path="/login" element={<Login />} />
              <Route
                element={
                  <RequireAuth>
                    <CoachProvider>
                      <HubProvider>
                        <Layout />
                      </HubProvider>
                    </CoachProvider>
                  </RequireAuth>
                }
              >
                <Route index element={<Navigate to="/today" replace />} />
                <Route path="/today" element={<Today />} />
                <Route path="/contacts" element={<Contacts />} />
                <Route path="/contacts/:id" element={<ContactDetail />} />
                <Route path="/deals" element={<Deals />} />
                <Route path="/deals/:id" element={<Deals />} />
                <Route path="/tasks" element={<Tasks />} />
                <Route path="/patterns" element={<Lazy page={Patterns} />} />
                <Route path="/leads" element={<Lazy page={Leads} />} />
                <Route path="/week" element={<Lazy page={Week} />} />
                <Route path="/month" element={<Lazy page={Month} />} />
                <Route path="/goals" element={<Lazy page={Goals} />} />
                <Route path="/notifications" element={<Lazy page={Notifications} />} />
                <Route path="/profile" element={<Lazy page={Profile} />} />
                <Route path="/leaderboard" element={<Lazy page={Leaderboard} />} />
                <Route path="/rewards" element={<Lazy page={Rewards} />} />
                <Route path="/feed" element={<Lazy page={Feed} />} />
                <Route path="/competitions" element={<Lazy page={Competitions} />} />
                <Route path="/competitions/:id" element={<Lazy page={CompetitionDetail} />} />
                <Route path="/settings" element={<Lazy page={Settings} />} />
                <Route path="*" element={<NotFound />} />
              </Route>
            </Routes>
          </AuthProvider>
        </BrowserRouter>
      </ThemeProvider>
    </QueryClientProvider>
  );
}
