// A labelled form field with an optional hint and the server's error for it shown right beneath.
import type { ComponentChildren } from 'preact';

export function Field(props: { label: string; name: string; error?: string; hint?: string; children: ComponentChildren; wide?: boolean }) {
  return (
    <div class={`field${props.error ? ' has-error' : ''}${props.wide ? ' field-wide' : ''}`} data-field={props.name}>
      <label for={`f-${props.name}`}>{props.label}</label>
      {props.children}
      {props.error ? (
        <div class="field-error" id={`f-${props.name}-error`} role="alert">
          {props.error}
        </div>
      ) : props.hint ? (
        <div class="field-hint">{props.hint}</div>
      ) : null}
    </div>
  );
}

/** id and aria attributes for the input inside a Field. */
export function fieldProps(name: string, error?: string) {
  return {
    id: `f-${name}`,
    name,
    'aria-invalid': error ? ('true' as const) : undefined,
    'aria-describedby': error ? `f-${name}-error` : undefined,
  };
}
