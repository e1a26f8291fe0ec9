import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';
import type { Role } from '../api/types.ts';
import { errorText } from '../api/client.ts';
import { permission, type Action } from '../state/permissions.ts';

interface GuardedProps {
  readonly roles: readonly Role[];
  readonly action: Action;
  readonly onClick: () => void | Promise<void>;
  readonly children: ComponentChildren;
  readonly class?: string;
  readonly testId?: string;
  readonly disabled?: boolean;
}

/** A button the user's roles may not allow: shown disabled, the reason beside it and in its title. */
export function Guarded(p: GuardedProps) {
  const perm = permission(p.roles, p.action);
  return (
    <span class="guarded">
      <button
        type="button"
        class={p.class}
        data-testid={p.testId}
        disabled={!perm.ok || p.disabled}
        title={perm.ok ? undefined : perm.reason}
        onClick={() => void p.onClick()}
      >
        {p.children}
      </button>
      {!perm.ok && <small class="reason">{perm.reason}</small>}
    </span>
  );
}

export function ErrorLine({ error, testId }: { readonly error: string | undefined; readonly testId?: string }) {
  return error ? (
    <p class="error" role="alert" data-testid={testId}>
      {error}
    </p>
  ) : null;
}

interface ConfirmProps {
  readonly title: string;
  readonly children?: ComponentChildren;
  readonly confirmLabel: string;
  /** Given the reason typed; a rejected promise is shown in the dialog. */
  readonly onConfirm: (reason: string) => Promise<void>;
  readonly onClose: () => void;
  readonly danger?: boolean;
  /** Default true: the action carries a reason (the API requires one for kill switch and trading states). */
  readonly withReason?: boolean;
}

/** A modal that asks for a reason before a consequential action (kill switch, resets). */
export function ConfirmDialog(p: ConfirmProps) {
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);
  const withReason = p.withReason ?? true;
  const confirm = async (): Promise<void> => {
    setBusy(true);
    try {
      await p.onConfirm(reason.trim());
      p.onClose();
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <div class="modal-backdrop" role="dialog" aria-modal="true" aria-label={p.title}>
      <form
        class="modal"
        onSubmit={(e) => {
          e.preventDefault();
          void confirm();
        }}
      >
        <h3>{p.title}</h3>
        {p.children}
        {withReason && (
          <label>
            Reason
            <input name="reason" required value={reason} onInput={(e) => setReason(e.currentTarget.value)} autoFocus />
          </label>
        )}
        <ErrorLine error={error} testId="confirm-error" />
        <div class="row">
          <button type="button" onClick={p.onClose}>
            Cancel
          </button>
          <button type="submit" class={p.danger ? 'danger' : 'primary'} disabled={busy || (withReason && reason.trim() === '')} data-testid="confirm">
            {p.confirmLabel}
          </button>
        </div>
      </form>
    </div>
  );
}

export function Card({ title, children, testId }: { readonly title: string; readonly children: ComponentChildren; readonly testId?: string }) {
  return (
    <section class="card" data-testid={testId}>
      <h3>{title}</h3>
      {children}
    </section>
  );
}

export { amount, fmtTime, fmtValue, signClass } from '../state/format.ts';
