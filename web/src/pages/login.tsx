import { useState } from 'preact/hooks';
import { api, errorText } from '../api/client.ts';
import type { Me } from '../api/types.ts';
import { ErrorLine } from '../components/widgets.tsx';

/** The login form: POST /api/auth/login sets the HttpOnly session cookie; the token in the answer is dropped. */
export function Login({ onLogin }: { readonly onLogin: (me: Me) => void }) {
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);
  const submit = async (): Promise<void> => {
    setBusy(true);
    setError(undefined);
    try {
      await api<unknown>('POST', '/api/auth/login', { username, password });
      setPassword('');
      onLogin(await api<Me>('GET', '/api/auth/me'));
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <main class="login">
      <form
        class="card"
        onSubmit={(e) => {
          e.preventDefault();
          void submit();
        }}
      >
        <h1>Warden</h1>
        <label>
          User
          <input name="username" autocomplete="username" value={username} onInput={(e) => setUsername(e.currentTarget.value)} required />
        </label>
        <label>
          Password
          <input name="password" type="password" autocomplete="current-password" value={password} onInput={(e) => setPassword(e.currentTarget.value)} required />
        </label>
        <ErrorLine error={error} testId="login-error" />
        <button type="submit" class="primary" disabled={busy}>
          Log in
        </button>
      </form>
    </main>
  );
}
