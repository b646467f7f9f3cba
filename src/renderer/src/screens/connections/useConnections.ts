// The Connections screen's state: the plugins and saved connections, each connection's last test,
// the open add/edit form, and the notices of what was saved or removed.
import { useCallback, useEffect, useState } from 'react';
import type { ConnectionDto, PluginDto, SavedConnectionDto, StudioApi } from '../../../../shared/studioApi';
import { errorMessage } from '../../shell/format';
import { EMBEDDED_PLUGIN, usable } from './plugins';
import { type FormValues, initialValues } from './settingsForm';

export type TestResult = Awaited<ReturnType<StudioApi['connections']['test']>>;
export type TestState = { pending: true } | { pending: false; result: TestResult };

export interface FormState {
  /** Set when editing a saved connection (its name then stays as it was unless changed). */
  editing: string | null;
  name: string;
  /** The name the form suggested, replaced when another plugin is picked. */
  suggestedName: string;
  plugin: string;
  values: FormValues;
}

export function useConnections(studio: StudioApi) {
  const [plugins, setPlugins] = useState<PluginDto[] | null>(null);
  const [connections, setConnections] = useState<Record<string, SavedConnectionDto> | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [form, setForm] = useState<FormState | null>(null);
  const [tests, setTests] = useState<Record<string, TestState>>({});
  const [notice, setNotice] = useState<string | null>(null);
  const [listError, setListError] = useState<string | null>(null);

  const refresh = useCallback(async () => {
    try {
      const [pluginList, connectionList] = await Promise.all([studio.plugins.list(), studio.connections.list()]);
      setPlugins(pluginList);
      setConnections(connectionList);
      setLoadError(null);
    } catch (e) {
      setLoadError(errorMessage(e));
    }
  }, [studio]);

  useEffect(() => {
    void refresh();
  }, [refresh]);

  /** The plugin's id, or the first of id-2, id-3… that no saved connection has. */
  const nameFor = (pluginId: string): string => {
    const taken = new Set(Object.keys(connections ?? {}));
    if (!taken.has(pluginId)) return pluginId;
    for (let i = 2; ; i++) if (!taken.has(`${pluginId}-${i}`)) return `${pluginId}-${i}`;
  };

  const openForm = (pluginId?: string) => {
    const preferred =
      pluginId ?? plugins?.find((p) => p.id === EMBEDDED_PLUGIN && usable(p))?.id ?? plugins?.find(usable)?.id ?? '';
    const plugin = plugins?.find((p) => p.id === preferred);
    const name = preferred ? nameFor(preferred) : '';
    setNotice(null);
    setForm({
      editing: null,
      name,
      suggestedName: name,
      plugin: preferred,
      values: initialValues(plugin?.settings ?? []),
    });
  };

  const editConnection = (name: string, connection: ConnectionDto) => {
    const plugin = plugins?.find((p) => p.id === connection.plugin);
    setNotice(null);
    setForm({
      editing: name,
      name,
      suggestedName: name,
      plugin: connection.plugin,
      values: initialValues(plugin?.settings ?? [], connection.settings),
    });
  };

  const runTest = async (name: string) => {
    setTests((t) => ({ ...t, [name]: { pending: true } }));
    let result: TestResult;
    try {
      result = await studio.connections.test(name);
    } catch (e) {
      result = { ok: false, error: errorMessage(e) };
    }
    setTests((t) => ({ ...t, [name]: { pending: false, result } }));
  };

  const remove = async (name: string) => {
    setListError(null);
    setNotice(null);
    try {
      await studio.connections.remove(name);
      setTests(({ [name]: _removed, ...rest }) => rest);
      setNotice(`Removed connection “${name}”.`);
      await refresh();
    } catch (e) {
      setListError(`Cannot remove “${name}”: ${errorMessage(e)}`);
    }
  };

  const onSaved = async (name: string) => {
    setForm(null);
    setNotice(`Saved connection “${name}”. Test it to check that the model answers.`);
    setTests(({ [name]: _stale, ...rest }) => rest);
    await refresh();
  };

  return {
    plugins,
    connections,
    loadError,
    form,
    setForm,
    tests,
    notice,
    listError,
    refresh,
    nameFor,
    openForm,
    editConnection,
    runTest,
    remove,
    onSaved,
  };
}
