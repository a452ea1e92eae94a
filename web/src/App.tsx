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
import Patterns from './pages/Patterns';
import Leads from './pages/Leads';
import Settings from './pages/Settings';
import Goals from './pages/Goals';
import Week from './pages/Week';
import Month from './pages/Month';
import Notifications from './pages/Notifications';
import NotFound from './pages/NotFound';

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
                <Route path="/patterns" element={<Patterns />} />
                <Route path="/leads" element={<Leads />} />
                <Route path="/week" element={<Week />} />
                <Route path="/month" element={<Month />} />
                <Route path="/goals" element={<Goals />} />
                <Route path="/notifications" element={<Notifications />} />
                <Route path="/settings" element={<Settings />} />
                <Route path="*" element={<NotFound />} />
              </Route>
            </Routes>
          </AuthProvider>
        </BrowserRouter>
      </ThemeProvider>
    </QueryClientProvider>
  );
}
