import { Link } from 'react-router';
import { usePageTitle } from './page-title';

export function NotFoundPage() {
  usePageTitle('Not found');
  return (
    <>
      <h1>Not found</h1>
      <p>
        The console has no such page. <Link to="/">Back to the overview</Link>.
      </p>
    </>
  );
}
