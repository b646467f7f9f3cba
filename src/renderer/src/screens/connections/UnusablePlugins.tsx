// The installed plugins that cannot be used, and why (an error, or disabled).
import type { PluginDto } from '../../../../shared/studioApi';
import { pluginLabel, unusableReason } from './plugins';

export function UnusablePlugins({ plugins }: { plugins: PluginDto[] }) {
  return (
    <details className="panel" style={{ marginTop: '1rem' }} data-testid="unusable-plugins">
      <summary>
        {plugins.length} plugin{plugins.length === 1 ? '' : 's'} cannot be used
      </summary>
      <ul className="plugin-list">
        {plugins.map((p) => (
          <li key={p.id}>
            <strong>{pluginLabel(p)}</strong>: <span className="muted">{unusableReason(p)}</span>
          </li>
        ))}
      </ul>
    </details>
  );
}
