// A connection form's fields, rendered from the plugin's settings schema.
import { type ReactNode, useId } from 'react';
import type { PluginSettingFieldDto } from '../../../../shared/studioApi';
import { type FormValues, SECRET_HELP } from './settingsForm';

export function SettingsFields({
  fields,
  values,
  errors,
  onChange,
}: {
  fields: readonly PluginSettingFieldDto[];
  values: FormValues;
  /** Problems by field key, shown under each field. */
  errors: Record<string, string>;
  onChange: (key: string, value: string | boolean) => void;
}) {
  if (fields.length === 0) return <p className="muted">This plugin has no settings.</p>;
  return (
    <>
      {fields.map((field) => (
        <SettingField
          key={field.key}
          field={field}
          value={values[field.key]}
          error={errors[field.key]}
          onChange={(v) => onChange(field.key, v)}
        />
      ))}
    </>
  );
}

function SettingField({
  field,
  value,
  error,
  onChange,
}: {
  field: PluginSettingFieldDto;
  value: string | boolean | undefined;
  error: string | undefined;
  onChange: (value: string | boolean) => void;
}) {
  const id = useId();
  const helpId = `${id}-help`;
  const errorId = `${id}-error`;
  const describedBy = [
    field.description || field.type === 'secret' || field.type === 'string-list' ? helpId : '',
    error ? errorId : '',
  ]
    .filter(Boolean)
    .join(' ');
  const common = {
    id,
    'data-testid': `setting-${field.key}`,
    'aria-describedby': describedBy || undefined,
    'aria-invalid': error ? true : undefined,
    'aria-required': field.required ? true : undefined,
  } as const;
  const text = typeof value === 'string' ? value : '';
  const placeholder =
    field.default !== undefined && typeof field.default !== 'boolean' ? String(field.default) : undefined;

  if (field.type === 'boolean') {
    return (
      <div className="field">
        <label className="checkbox" htmlFor={id}>
          <input {...common} type="checkbox" checked={value === true} onChange={(e) => onChange(e.target.checked)} />
          {field.title}
        </label>
        {field.description && (
          <p className="help" id={helpId}>
            {field.description}
          </p>
        )}
        {error && (
          <p className="field-error" id={errorId}>
            {error}
          </p>
        )}
      </div>
    );
  }

  let control: ReactNode;
  switch (field.type) {
    case 'number':
      control = (
        <input
          {...common}
          type="number"
          inputMode="decimal"
          step="any"
          value={text}
          placeholder={placeholder}
          onChange={(e) => onChange(e.target.value)}
        />
      );
      break;
    case 'string-list':
      control = (
        <textarea {...common} rows={3} value={text} spellCheck={false} onChange={(e) => onChange(e.target.value)} />
      );
      break;
    case 'secret':
      control = (
        <input
          {...common}
          type="text"
          value={text}
          placeholder="env:VARIABLE_NAME"
          autoComplete="off"
          spellCheck={false}
          pattern="(env|store):[A-Za-z_][A-Za-z0-9_]*"
          onChange={(e) => onChange(e.target.value)}
        />
      );
      break;
    default:
      control = (
        <input
          {...common}
          type="text"
          value={text}
          placeholder={placeholder ?? (field.type === 'path' ? '/path/to/model.gguf' : undefined)}
          spellCheck={false}
          onChange={(e) => onChange(e.target.value)}
        />
      );
  }

  return (
    <div className="field">
      <label htmlFor={id}>
        {field.title}
        {field.required && (
          <span className="required" aria-hidden="true">
            *
          </span>
        )}
        {field.type === 'secret' && (
          <span className="badge" style={{ marginLeft: '0.5em' }}>
            secret
          </span>
        )}
      </label>
      {control}
      {(field.description || field.type === 'secret' || field.type === 'string-list') && (
        <p className="help" id={helpId}>
          {field.type === 'secret' && (
            <>
              <strong>{SECRET_HELP}</strong>
              {field.description ? ' — ' : ''}
            </>
          )}
          {field.type === 'string-list' && <>One per line. </>}
          {field.description}
        </p>
      )}
      {error && (
        <p className="field-error" id={errorId} role="alert">
          {error}
        </p>
      )}
    </div>
  );
}
