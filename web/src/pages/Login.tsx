import { useEffect, useState, type FormEvent } from 'react';
import { useQuery } from '@tanstack/react-query';
import { Navigate, useLocation, useNavigate } from 'react-router-dom';
import { LogIn } from 'lucide-react';
import { api } from '../lib/api';
import { useAuth } from '../contexts/AuthContext';
import { ErrorBanner } from '../components/ui';

export default function Login() {
  const { user, login, expired, loading } = useAuth();
  const navigate = useNavigate();
  const location = useLocation();
  const from = (location.state as { from?: string } | null)?.from;
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const demo = useQuery({ queryKey: ['demo'], queryFn: () => api.demo(), staleTime: Infinity, retry: false });

  useEffect(() => {
    document.title = 'Log in · ChosenCRM';
  }, []);

  if (!loading && user) return <Navigate to={from && from !== '/login' ? from : '/today'} replace />;

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await login(email.trim(), password);
      navigate(from && from !== '/login' ? from : '/today', { replace: true });
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="flex min-h-screen items-center justify-center bg-slate-50 px-4 py-10 dark:bg-slate-950">
      <main className="w-full max-w-md">
        <div className="mb-6 flex items-center justify-center gap-2">
          <img src="/favicon.svg" alt="" className="h-10 w-10" />
          <span className="text-2xl font-bold tracking-tight">ChosenCRM</span>
        </div>
        <div className="card p-6 sm:p-8">
          <h1 className="text-xl font-semibold">Log in</h1>
          <p className="mt-1 text-sm muted">Your pipeline, your coach, one place.</p>
          {expired && (
            <p role="status" className="mt-4 rounded-lg bg-amber-50 px-3 py-2 text-sm text-amber-900 dark:bg-amber-950 dark:text-amber-100">
              Your session has ended. Log in again to continue where you left off.
            </p>
          )}
          <form onSubmit={submit} className="mt-6 space-y-4" noValidate>
            <div>
              <label htmlFor="email" className="label">
                Email
              </label>
              <input
                id="email"
                type="email"
                autoComplete="username"
                required
                autoFocus
                className="input"
                value={email}
                onChange={(e) => setEmail(e.target.value)}
              />
            </div>
            <div>
              <label htmlFor="password" className="label">
                Password
              </label>
              <input
                id="password"
                type="password"
                autoComplete="current-password"
                required
                className="input"
                value={password}
                onChange={(e) => setPassword(e.target.value)}
              />
            </div>
            <ErrorBanner error={error} />
            <button type="submit" className="btn-primary w-full" disabled={busy || !email || !password}>
              <LogIn aria-hidden className="h-4 w-4" />
              {busy ? 'Logging in…' : 'Log in'}
            </button>
          </form>
        </div>
        {demo.data && demo.data.logins.length > 0 && (
          <section aria-labelledby="demo-title" className="card mt-4 p-5" data-testid="demo-logins">
            <h2 id="demo-title" className="text-sm font-semibold">
              Demo logins
            </h2>
            <p className="mt-1 text-xs muted">
              Password for all: <code className="font-mono">{demo.data.password}</code>. Choose one to fill the form.
            </p>
            <ul className="mt-3 divide-y divide-slate-200 dark:divide-slate-700">
              {demo.data.logins.map((l) => (
                <li key={l.email}>
                  <button
                    type="button"
                    className="flex w-full items-center justify-between gap-2 rounded px-1 py-1.5 text-left text-sm hover:bg-slate-50 dark:hover:bg-slate-800"
                    onClick={() => {
                      setEmail(l.email);
                      setPassword(demo.data!.password);
                    }}
                  >
                    <span className="min-w-0">
                      <span className="block truncate font-medium">{l.name}</span>
                      <span className="block truncate text-xs muted">{l.email}</span>
                    </span>
                    <span className="shrink-0 text-xs muted">
                      {l.role}
                      {l.team ? ` · ${l.team}` : ''}
                    </span>
                  </button>
                </li>
              ))}
            </ul>
          </section>
        )}
      </main>
    </div>
  );
}
