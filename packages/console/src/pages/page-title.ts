import { useEffect } from 'react';

/** Names the page in the window title, which screen readers announce on navigation. */
export function usePageTitle(title: string): void {
  useEffect(() => {
    document.title = `${title} · Banca Jobs console`;
  }, [title]);
}
