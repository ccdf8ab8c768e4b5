import { type FormEvent, useState } from 'react';
import { useSession } from './session';

/** Shown whenever the console has no usable admin token, with the reason when one was turned away. */
export function SignInPage() {
  const { problem, signIn } = useSession();
  const [raw, setRaw] = useState('');

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (signIn(raw)) setRaw('');
  };

  return (
    <main className="sign-in" id="main">
      <h1>Banca Jobs console</h1>
      <p>
        Sign in with an admin token. On the service's machine, <code>banca console</code> prints a sign-in link with a
        short-lived one.
      </p>
      {problem !== null && (
        <p className="notice notice-error" role="alert" data-testid="sign-in-problem">
          {problem}
        </p>
      )}
      <form onSubmit={submit}>
        <label htmlFor="token">Admin token</label>
        <textarea id="token" name="token" rows={4} value={raw} onChange={(event) => setRaw(event.target.value)} autoComplete="off" spellCheck={false} required />
        <button type="submit">Sign in</button>
      </form>
    </main>
  );
}
