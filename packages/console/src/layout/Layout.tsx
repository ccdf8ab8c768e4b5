import { NavLink, Outlet } from 'react-router';
import { useSession } from '../auth/session';
import { CR_ZONE, crOffsetLabel } from '../format/cr-time';

export const PAGES = [
  { path: '/', label: 'Overview' },
  { path: '/runs', label: 'Runs' },
  { path: '/run-job', label: 'Run a job' },
  { path: '/settlement', label: 'Settlement config' },
  { path: '/dead-letters', label: 'Dead letters' },
  { path: '/allowances', label: 'Allowances' },
  { path: '/closings', label: 'Closings' },
  { path: '/reconciliation', label: 'Reconciliation' },
] as const;

export function Layout() {
  const { claims, signOut } = useSession();
  return (
    <div className="shell">
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="top">
        <span className="brand">Banca Jobs</span>
        <span className="muted small">
          Times in Costa Rica time ({CR_ZONE}, {crOffsetLabel(new Date())})
        </span>
        <span className="who small">
          {claims?.sub}{' '}
          <button type="button" className="link-button" onClick={() => signOut()}>
            Sign out
          </button>
        </span>
      </header>
      <nav aria-label="Console pages" className="side">
        <ul>
          {PAGES.map((page) => (
            <li key={page.path}>
              <NavLink to={page.path} end={page.path === '/'}>
                {page.label}
              </NavLink>
            </li>
          ))}
        </ul>
      </nav>
      <main id="main" tabIndex={-1}>
        <Outlet />
      </main>
    </div>
  );
}
