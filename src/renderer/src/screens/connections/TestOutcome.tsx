// The outcome of a connection's test: connecting, failed, or the models the backend lists.
import type { TestState } from './useConnections';

export function TestOutcome({ state }: { state: TestState }) {
  if (state.pending) {
    return (
      <p className="muted small" role="status" data-testid="test-result" style={{ margin: '0.75rem 0 0' }}>
        Connecting…
      </p>
    );
  }
  const { result } = state;
  if (!result.ok) {
    return (
      <div className="alert" role="alert" data-testid="test-result" style={{ margin: '0.75rem 0 0' }}>
        <strong>Test failed.</strong> {result.error}
      </div>
    );
  }
  return (
    <div className="notice-ok" role="status" data-testid="test-result" style={{ margin: '0.75rem 0 0' }}>
      <p style={{ margin: '0 0 0.3rem' }} data-testid="test-checks">
        {result.checks}
      </p>
      {result.models.length === 0 ? (
        <>Connected. This backend does not list models.</>
      ) : (
        <>
          Connected: {result.models.length} model{result.models.length === 1 ? '' : 's'}
          <ul style={{ margin: '0.3rem 0 0', paddingLeft: '1.2rem' }} data-testid="test-models">
            {result.models.map((m) => (
              <li key={m.id}>
                <code>{m.id}</code>
                {m.contextLength ? (
                  <span className="muted small"> · {m.contextLength.toLocaleString()} tokens context</span>
                ) : null}
              </li>
            ))}
          </ul>
        </>
      )}
    </div>
  );
}
