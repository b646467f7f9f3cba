// The studio's first screen. Until the screens land it points people at what works today: the CLI.
export function App() {
  const versions = window.api?.versions;
  return (
    <main style={{ fontFamily: 'system-ui, sans-serif', maxWidth: 720, margin: '48px auto', lineHeight: 1.5 }}>
      <h1>DRPO Studio</h1>
      <p>Align a language model without training it: Dynamic Rewarding with Prompt Optimization.</p>
      <p>
        The engine runs from the command line today: <code>drpo-studio optimize --config my-run.json</code>. The studio's screens
        (connections, reward criteria, live beam view) build on the same engine.
      </p>
      {versions && (
        <p style={{ color: '#666' }}>
          Electron {versions.electron} · Chromium {versions.chrome} · Node {versions.node}
        </p>
      )}
    </main>
  );
}
