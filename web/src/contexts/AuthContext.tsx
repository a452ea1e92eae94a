import { createContext, useCallback, useContext, useEffect, useRef, useState, type ReactNode } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { useNavigate } from 'react-router-dom';
import { api } from '../lib/api';
import type { User } from '../types';

interface AuthContextType {
  user: User | null;
  loading: boolean;
  // Set when the session ended on its own (expired, logged out elsewhere).
  expired: boolean;
  login: (email: string, password: string) => Promise<void>;
  logout: () => Promise<void>;
  setUser: (u: User) => void;
}

const AuthContext = createContext<AuthContextType | undefined>(undefined);

export function AuthProvider({ children }: { children: ReactNode }) {
  const [user, setUserState] = useState<User | null>(null);
  const [loading, setLoading] = useState(true);
  const [expired, setExpired] = useState(false);
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const userRef = useRef<User | null>(null);
  userRef.current = user;

  useEffect(() => {
    let live = true;
    api
      .me()
      .then((u) => live && setUserState(u))
      .catch(() => live && setUserState(null))
      .finally(() => live && setLoading(false));
    return () => {
      live = false;
    };
  }, []);

  useEffect(() => {
    api.onUnauthorized = () => {
      if (!userRef.current) return;
      userRef.current = null;
      setUserState(null);
      setExpired(true);
      queryClient.clear();
      navigate('/login', { replace: true, state: { from: window.location.pathname + window.location.search } });
    };
    return () => {
      api.onUnauthorized = undefined;
    };
  }, [navigate, queryClient]);

  const login = useCallback(
    async (email: string, password: string) => {
      const u = await api.login(email, password);
      queryClient.clear();
      setExpired(false);
      // /api/me carries the team and org names as the app shows them.
      setUserState((await api.me()) ?? u);
    },
    [queryClient],
  );

  const logout = useCallback(async () => {
    try {
      await api.logout();
    } finally {
      queryClient.clear();
      setUserState(null);
      setExpired(false);
      navigate('/login', { replace: true });
    }
  }, [navigate, queryClient]);

  return (
    <AuthContext.Provider value={{ user, loading, expired, login, logout, setUser: setUserState }}>
      {children}
    </AuthContext.Provider>
  );
}

export function useAuth() {
  const c = useContext(AuthContext);
  if (!c) throw new Error('useAuth must be used within an AuthProvider');
  return c;
}
