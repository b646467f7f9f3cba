// A plugin's settings schema as a form: the form's values (text as typed, checkboxes as
// booleans) and the settings a connection stores. Secrets are only ever "env:NAME" references.
import type { PluginSettingFieldDto } from '../../../../shared/studioApi';

export type FormValues = Record<string, string | boolean>;

/** The only form a secret takes in the studio: the name of the environment variable holding it. */
export const SECRET_REFERENCE = /^(env|store):[A-Za-z_][A-Za-z0-9_]*$/;

export const SECRET_HELP =
  'API keys are read from environment variables (enter env:VARIABLE_NAME) or, in the desktop app, from its encrypted key store (enter store:KEY_NAME)';

export function isSecretReference(value: unknown): value is string {
  return typeof value === 'string' && SECRET_REFERENCE.test(value);
}

/** The form's starting values: the saved settings where given, else each field's default. */
export function initialValues(
  fields: readonly PluginSettingFieldDto[],
  saved: Record<string, unknown> = {},
): FormValues {
  const values: FormValues = {};
  for (const field of fields) {
    const value = Object.hasOwn(saved, field.key) ? saved[field.key] : field.default;
    switch (field.type) {
      case 'boolean':
        values[field.key] = value === true;
        break;
      case 'string-list':
        values[field.key] = Array.isArray(value)
          ? value.map(String).join('\n')
          : typeof value === 'string'
            ? value
            : '';
        break;
      case 'secret':
        // Only a reference is ever put back in the form; anything else is not shown.
        values[field.key] = isSecretReference(value) ? value : '';
        break;
      default:
        values[field.key] = value === undefined || value === null ? '' : String(value);
    }
  }
  return values;
}

/** What is wrong with one field's value, as the user typed it; null when nothing. */
export function fieldError(field: PluginSettingFieldDto, value: string | boolean | undefined): string | null {
  if (field.type === 'boolean') return null;
  const text = typeof value === 'string' ? value.trim() : '';
  if (text === '') return field.required && field.default === undefined ? `${field.title} is required` : null;
  if (field.type === 'number' && !Number.isFinite(Number(text))) return `${field.title} must be a number`;
  if (field.type === 'secret' && !SECRET_REFERENCE.test(text)) {
    return `${field.title} is a secret and is never stored: write env:NAME and put the key in the environment variable NAME`;
  }
  return null;
}

/**
 * The settings to save, or the problems that keep the form from saving. Empty fields are left
 * out, so the plugin's defaults apply.
 */
export function toSettings(
  fields: readonly PluginSettingFieldDto[],
  values: FormValues,
): { settings: Record<string, unknown>; errors: Record<string, string> } {
  const settings: Record<string, unknown> = {};
  const errors: Record<string, string> = {};
  for (const field of fields) {
    const value = values[field.key];
    const error = fieldError(field, value);
    if (error) {
      errors[field.key] = error;
      continue;
    }
    if (field.type === 'boolean') {
      settings[field.key] = value === true;
      continue;
    }
    const text = typeof value === 'string' ? value.trim() : '';
    if (field.type === 'string-list') {
      const items = text
        .split('\n')
        .map((line) => line.trim())
        .filter((line) => line !== '');
      if (items.length > 0) settings[field.key] = items;
      continue;
    }
    if (text === '') continue;
    settings[field.key] = field.type === 'number' ? Number(text) : text;
  }
  return { settings, errors };
}

/** A setting as the connection list shows it; a secret only as its env:NAME reference. */
export function displaySetting(field: PluginSettingFieldDto | undefined, value: unknown): string {
  if (field?.type === 'secret') return isSecretReference(value) ? value : '(hidden)';
  if (Array.isArray(value)) return value.map(String).join(', ');
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  if (value === null || value === undefined) return '';
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}
