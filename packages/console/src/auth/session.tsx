import { useQueryClient } from '@tanstack/react-query';
import { createContext, type ReactNode, useCallback, useContext, useEffect, useMemo, useState } from 'react';
import { type ApiError, useTokenForCalls } from '../api/client';
import { checkToken, type TokenClaims, tokenInFragment } from './token';

const STORAGE_KEY = 'banca-console.token';

interface Session {
  claims: TokenClaims | null;
  /** Why the console is signed out: a refused, expired or guardian token. */
  problem: string | null;
  signIn(raw: string): boolean;
  signOut(problem?: string): void;
}

const SessionContext = createContext<Session | null>(null);

export const useSession = (): Session => {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession outside SessionProvider');
  return session;
};

/** The first token: a sign-in link's fragment (then wiped from the address bar), else this tab's stored one. */
function initialState(): { token: string | null; claims: TokenClaims | null; problem: string | null } {
  const linked = tokenInFragment(window.location.hash);
  if (linked !== null) window.history.replaceState(null, '', window.location.pathname + window.location.search);
  const raw = linked ?? window.sessionStorage.getItem(STORAGE_KEY);
  if (raw === null) return { token: null, claims: null, problem: null };
  const check = checkToken(raw, Date.now());
  if (!check.ok) {
    window.sessionStorage.removeItem(STORAGE_KEY);
    return { token: null, claims: null, problem: check.problem };
  }
  window.sessionStorage.setItem(STORAGE_KEY, check.token);
  return { token: check.token, claims: check.claims, problem: null };
}

export function SessionProvider({ children }: { children: ReactNode }) {
  const queryClient = useQueryClient();
  const [state, setState] = useState(initialState);

  const signOut = useCallback(
    (problem?: string) => {
      window.sessionStorage.removeItem(STORAGE_KEY);
      queryClient.clear();
      setState({ token: null, claims: null, problem: problem ?? null });
    },
    [queryClient],
  );

  const refused = useCallback(
    (error: ApiError) => {
      const problem =
        error.status === 403
          ? `The service refused this token's role (${error.code}): the console needs an admin token. Run \`banca console\` for a sign-in link.`
          : `The service refused the token (${error.code}: ${error.message}). It may have expired or come from another service. Run \`banca console\` for a new sign-in link.`;
      signOut(problem);
    },
    [signOut],
  );
  useTokenForCalls(state.token, refused);

  const signIn = useCallback((raw: string) => {
    const check = checkToken(raw, Date.now());
    if (!check.ok) {
      setState({ token: null, claims: null, problem: check.problem });
      return false;
    }
    window.sessionStorage.setItem(STORAGE_KEY, check.token);
    setState({ token: check.token, claims: check.claims, problem: null });
    return true;
  }, []);

  // A sign-in link opened in a tab already on the console changes only the fragment: no reload.
  useEffect(() => {
    const fromLink = () => {
      const linked = tokenInFragment(window.location.hash);
      if (linked === null) return;
      window.history.replaceState(null, '', window.location.pathname + window.location.search);
      queryClient.clear();
      signIn(linked);
    };
    window.addEventListener('hashchange', fromLink);
    return () => window.removeEventListener('hashchange', fromLink);
  }, [signIn, queryClient]);

  const session = useMemo(() => ({ claims: state.claims, problem: state.problem, signIn, signOut }), [state, signIn, signOut]);
  return <SessionContext.Provider value={session}>{children}</SessionContext.Provider>;
}
