import { useCallback, useEffect, useState } from 'react';
import { NavLink, Outlet, useLocation } from 'react-router-dom';
import {
  CheckSquare,
  Briefcase,
  ListOrdered,
  LogOut,
  Menu,
  Moon,
  Monitor,
  Settings,
  Sun,
  Sunrise,
  Target,
  TrendingUp,
  Trophy,
  Users,
  X,
  Radio,
} from 'lucide-react';
import { useAuth } from '../contexts/AuthContext';
import { useCoach } from '../contexts/CoachContext';
import { useTheme, type Theme } from '../contexts/ThemeContext';
import { cn } from '../lib/format';
import { CoachToast } from './CoachToast';
import { CelebrationOverlay } from './CelebrationOverlay';
import { NotificationBell, NotificationPanel } from './NotificationCenter';

const navigation = [
  { name: 'Today', href: '/today', icon: Sunrise },
  { name: 'Contacts', href: '/contacts', icon: Users },
  { name: 'Deals', href: '/deals', icon: Briefcase },
  { name: 'Tasks', href: '/tasks', icon: CheckSquare },
  { name: 'Goals', href: '/goals', icon: Target },
  { name: 'Achievements', href: '/profile', icon: Trophy },
  { name: 'Patterns', href: '/patterns', icon: TrendingUp },
  { name: 'Call first', href: '/leads', icon: ListOrdered },
  { name: 'Settings', href: '/settings', icon: Settings },
];

const themes: { value: Theme; label: string; icon: typeof Sun }[] = [
  { value: 'light', label: 'Light', icon: Sun },
  { value: 'dark', label: 'Dark', icon: Moon },
  { value: 'system', label: 'System', icon: Monitor },
];

function ThemeSwitch() {
  const { theme, setTheme } = useTheme();
  return (
    <div role="radiogroup" aria-label="Theme" className="flex rounded-lg bg-slate-100 p-0.5 dark:bg-slate-800">
      {themes.map(({ value, label, icon: Icon }) => (
        <button
          key={value}
          type="button"
          role="radio"
          aria-checked={theme === value}
          title={label}
          onClick={() => setTheme(value)}
          className={cn(
            'flex flex-1 items-center justify-center rounded-md p-1.5',
            theme === value ? 'bg-white text-slate-900 shadow-sm dark:bg-slate-600 dark:text-white' : 'text-slate-600 hover:text-slate-900 dark:text-slate-300',
          )}
        >
          <Icon aria-hidden className="h-4 w-4" />
          <span className="sr-only">{label}</span>
        </button>
      ))}
    </div>
  );
}

// The hub's views (Today, Week, Month) keep "Today" lit in the nav; the
// game's sections (profile, leaderboard, competitions, rewards, feed) keep
// "Achievements" lit.
const HUB_PATHS = ['/today', '/week', '/month'];
const GAME_PATHS = /^\/(profile|leaderboard|competitions|rewards|feed)(\/|$)/;

function lit(href: string, path: string): boolean {
  if (href === '/today') return HUB_PATHS.includes(path);
  if (href === '/profile') return GAME_PATHS.test(path);
  return false;
}

function SideNav({ onNavigate, bell }: { onNavigate?: () => void; bell?: React.ReactNode }) {
  const { user, logout } = useAuth();
  const { streamConnected, settings } = useCoach();
  const location = useLocation();
  return (
    <div className="flex h-full flex-col">
      <div className="flex items-center gap-2 px-4 py-5">
        <img src="/favicon.svg" alt="" className="h-8 w-8" />
        <span className="flex-1 text-lg font-bold tracking-tight">ChosenCRM</span>
        {bell}
      </div>
      <nav aria-label="Main" className="flex-1 space-y-1 px-3">
        {navigation.map((item) => (
          <NavLink
            key={item.name}
            to={item.href}
            onClick={onNavigate}
            className={({ isActive }) =>
              cn(
                'flex items-center gap-3 rounded-lg px-3 py-2 text-sm font-medium',
                isActive || lit(item.href, location.pathname)
                  ? 'bg-blue-50 text-blue-800 dark:bg-blue-950 dark:text-blue-100'
                  : 'text-slate-700 hover:bg-slate-100 dark:text-slate-300 dark:hover:bg-slate-800',
              )
            }
          >
            <item.icon aria-hidden className="h-5 w-5" />
            {item.name}
          </NavLink>
        ))}
      </nav>
      <div className="space-y-3 border-t border-slate-200 p-4 dark:border-slate-800">
        <p className="flex items-center gap-1.5 text-xs muted" title={streamConnected ? 'Coach tips arrive live' : 'Checking for coach tips periodically'}>
          <Radio aria-hidden className={cn('h-3.5 w-3.5', streamConnected ? 'text-green-600 dark:text-green-400' : '')} />
          Coach {settings.coach_enabled ? (streamConnected ? 'live' : 'connecting') : 'off'}
        </p>
        <ThemeSwitch />
        <div className="flex items-center justify-between gap-2">
          <div className="min-w-0">
            <p className="truncate text-sm font-medium" data-testid="current-user">
              {user?.name}
            </p>
            <p className="truncate text-xs muted">
              {user?.role}
              {user?.team ? ` · ${user.team.name}` : ''}
            </p>
          </div>
          <button type="button" onClick={() => logout()} className="btn-ghost p-2" aria-label="Log out" title="Log out">
            <LogOut aria-hidden className="h-4 w-4" />
          </button>
        </div>
      </div>
    </div>
  );
}

export function Layout() {
  const [open, setOpen] = useState(false);
  const [bellOpen, setBellOpen] = useState(false);
  const toggleBell = useCallback(() => setBellOpen((o) => !o), []);
  const closeBell = useCallback(() => setBellOpen(false), []);
  const location = useLocation();
  useEffect(() => setOpen(false), [location.pathname]);
  useEffect(() => {
    if (!open) return;
    const onKey = (e: KeyboardEvent) => e.key === 'Escape' && setOpen(false);
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [open]);

  return (
    <div className="flex min-h-screen">
      <a href="#main" className="sr-only z-50 rounded bg-blue-600 px-3 py-2 text-white focus:not-sr-only focus:fixed focus:left-2 focus:top-2">
        Skip to content
      </a>
      <aside className="sticky top-0 hidden h-screen w-60 shrink-0 border-r border-slate-200 bg-white dark:border-slate-800 dark:bg-slate-900 lg:block">
        <SideNav bell={<NotificationBell onClick={toggleBell} expanded={bellOpen} />} />
      </aside>

      {open && (
        <div className="fixed inset-0 z-40 lg:hidden">
          <div className="absolute inset-0 bg-slate-950/50" onClick={() => setOpen(false)} aria-hidden />
          <div id="mobile-nav" className="absolute inset-y-0 left-0 w-64 bg-white shadow-xl dark:bg-slate-900">
            <button type="button" onClick={() => setOpen(false)} className="btn-ghost absolute right-2 top-4 p-2" aria-label="Close menu">
              <X aria-hidden className="h-5 w-5" />
            </button>
            <SideNav onNavigate={() => setOpen(false)} />
          </div>
        </div>
      )}

      <div className="flex min-w-0 flex-1 flex-col">
        <div className="sticky top-0 z-30 flex items-center gap-2 border-b border-slate-200 bg-white px-3 py-2 dark:border-slate-800 dark:bg-slate-900 lg:hidden">
          <button
            type="button"
            onClick={() => setOpen(true)}
            className="btn-ghost p-2"
            aria-label="Open menu"
            aria-expanded={open}
            aria-controls="mobile-nav"
          >
            <Menu aria-hidden className="h-5 w-5" />
          </button>
          <img src="/favicon.svg" alt="" className="h-6 w-6" />
          <span className="flex-1 font-bold">ChosenCRM</span>
          <NotificationBell onClick={toggleBell} expanded={bellOpen} />
        </div>
        <main id="main" tabIndex={-1} className="flex-1 focus:outline-none">
          <Outlet />
        </main>
      </div>
      <NotificationPanel open={bellOpen} onClose={closeBell} />
      <CoachToast />
      <CelebrationOverlay />
    </div>
  );
}
