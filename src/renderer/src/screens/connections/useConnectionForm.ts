// The add/edit form's behavior: picking a plugin (which resets its settings), field problems once
// a save was tried, and the save itself (a rename saves under the new name and drops the old).
import { type FormEvent, useState } from 'react';
import type { ConnectionDto, PluginDto, StudioApi } from '../../../../shared/studioApi';
import { errorMessage } from '../../shell/format';
import { fieldError, initialValues, toSettings } from './settingsForm';
import type { FormState } from './useConnections';

export interface ConnectionFormProps {
  studio: StudioApi;
  plugins: PluginDto[];
  form: FormState;
  existing: Record<string, ConnectionDto>;
  nameFor: (pluginId: string) => string;
  onChange: (form: FormState) => void;
  onCancel: () => void;
  onSaved: (name: string) => void;
}

export function useConnectionForm({
  studio,
  plugins,
  form,
  existing,
  nameFor,
  onChange,
  onSaved,
}: ConnectionFormProps) {
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [attempted, setAttempted] = useState(false);
  const plugin = plugins.find((p) => p.id === form.plugin);
  const fields = plugin?.settings ?? [];

  // Field problems show once the user has tried to save, then follow their edits.
  const fieldErrors: Record<string, string> = {};
  if (attempted) {
    for (const field of fields) {
      const problem = fieldError(field, form.values[field.key]);
      if (problem) fieldErrors[field.key] = problem;
    }
  }

  const pickPlugin = (pluginId: string) => {
    const next = plugins.find((p) => p.id === pluginId);
    const keepName = form.name !== form.suggestedName;
    const suggested = nameFor(pluginId);
    setError(null);
    setAttempted(false);
    onChange({
      ...form,
      plugin: pluginId,
      name: keepName ? form.name : suggested,
      suggestedName: suggested,
      values: initialValues(next?.settings ?? []),
    });
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setAttempted(true);
    setError(null);
    const name = form.name.trim();
    if (!plugin) return setError('Choose a plugin.');
    if (name === '') return setError('Give the connection a name (letters, digits, ".", "_" and "-").');
    const { settings, errors } = toSettings(fields, form.values);
    const problems = Object.values(errors);
    // A literal secret is stopped here: it never leaves this window.
    if (problems.length > 0) return setError(problems.join('\n'));
    if (name !== form.editing && Object.hasOwn(existing, name)) {
      return setError(`A connection named “${name}” already exists; pick another name or edit that one.`);
    }
    setSaving(true);
    try {
      await studio.connections.save(name, { plugin: plugin.id, settings });
      // A rename saves under the new name; the old entry goes.
      if (form.editing && form.editing !== name) await studio.connections.remove(form.editing);
      onSaved(name);
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setSaving(false);
    }
  };

  return { plugin, fields, fieldErrors, saving, error, pickPlugin, submit };
}
