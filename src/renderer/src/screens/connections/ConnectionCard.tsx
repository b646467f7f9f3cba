// One saved connection: its plugin, its settings (secrets as references), Test, Edit and Remove.
import type { PluginDto, SavedConnectionDto } from '../../../../shared/studioApi';
import { pluginLabel, unusableReason } from './plugins';
import { displaySetting } from './settingsForm';
import { TestOutcome } from './TestOutcome';
import type { TestState } from './useConnections';

interface Props {
  name: string;
  connection: SavedConnectionDto;
  plugin: PluginDto | undefined;
  test: TestState | undefined;
  onTest: () => void;
  onEdit: () => void;
  onRemove: () => void;
}

export function ConnectionCard({ name, connection, plugin, test, onTest, onEdit, onRemove }: Props) {
  const settings = Object.entries(connection.settings);
  return (
    <li className="panel" style={{ margin: 0 }} data-testid={`connection-${name}`}>
      <div className="row" style={{ justifyContent: 'space-between', alignItems: 'flex-start' }}>
        <div>
          <h3 style={{ margin: 0 }}>{name}</h3>
          <div className="row small" style={{ marginTop: '0.2rem' }}>
            <span className="badge">{plugin ? pluginLabel(plugin) : connection.plugin}</span>
            {plugin && unusableReason(plugin) && <span className="badge danger">plugin unavailable</span>}
          </div>
        </div>
        <div className="row">
          <button type="button" data-testid="test-connection" onClick={onTest} disabled={test?.pending}>
            {test?.pending ? 'Testing…' : 'Test'}
          </button>
          <button type="button" data-testid="edit-connection" onClick={onEdit} disabled={!plugin}>
            Edit
          </button>
          <button
            type="button"
            className="danger"
            data-testid="remove-connection"
            onClick={onRemove}
            aria-label={`Remove ${name}`}
          >
            Remove
          </button>
        </div>
      </div>
      {settings.length > 0 ? (
        <dl className="kv" style={{ marginTop: '0.6rem' }}>
          {settings.map(([key, value]) => {
            const field = plugin?.settings?.find((f) => f.key === key);
            return (
              <div key={key}>
                <dt>{field?.title ?? key}</dt>
                <dd data-testid={`connection-setting-${key}`}>{displaySetting(field, value)}</dd>
              </div>
            );
          })}
        </dl>
      ) : (
        <p className="muted small" style={{ margin: '0.6rem 0 0' }}>
          Plugin defaults.
        </p>
      )}
      <p className="muted small" style={{ margin: '0.6rem 0 0' }} data-testid="connection-profile">
        {connection.profile ?? 'Not probed yet: the first run or Test finds what the server really does.'}
      </p>
      {test && <TestOutcome state={test} />}
    </li>
  );
}
