import { useId, type ReactNode } from 'react';

/** A labelled form control with the server's messages for its field right under it. */
export function Field(props: { label: string; hint?: string; errors?: string[]; children: (id: string, describedBy?: string) => ReactNode }) {
  const id = useId();
  const hintId = props.hint ? `${id}-hint` : undefined;
  const errorId = props.errors?.length ? `${id}-error` : undefined;
  const describedBy = [hintId, errorId].filter(Boolean).join(' ') || undefined;
  return (
    <div className={`field${errorId ? ' has-error' : ''}`}>
      <label htmlFor={id}>{props.label}</label>
      {props.children(id, describedBy)}
      {props.hint && (
        <p className="hint" id={hintId}>
          {props.hint}
        </p>
      )}
      {errorId && (
        <p className="field-error" id={errorId} role="alert">
          {props.errors!.join(' ')}
        </p>
      )}
    </div>
  );
}

export function Badge({ value }: { value: string }) {
  return <span className={`badge badge-${value.toLowerCase()}`}>{value.replace('_', ' ').toLowerCase()}</span>;
}

export function Time({ at }: { at: string | null | undefined }) {
  if (!at) return <span className="muted">—</span>;
  const d = new Date(at);
  return (
    <time dateTime={at} title={d.toISOString()}>
      {d.toLocaleString(undefined, { dateStyle: 'short', timeStyle: 'medium' })}
    </time>
  );
}

export const percent = (rate: number | null | undefined) => (rate == null ? '—' : `${(rate * 100).toFixed(1)} %`);
export const ms = (v: number | null | undefined) => (v == null ? '—' : `${v} ms`);

export function ErrorNote({ message }: { message?: string }) {
  if (!message) return null;
  return (
    <p className="error-note" role="alert">
      {message}
    </p>
  );
}

export function Json({ value, label }: { value: unknown; label: string }) {
  return (
    <pre className="json" tabIndex={0} aria-label={label}>
      {JSON.stringify(value, null, 2)}
    </pre>
  );
}

export function Loading() {
  return <p aria-live="polite">Loading…</p>;
}
