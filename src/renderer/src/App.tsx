// The studio's shell: the screens, over whichever transport carries the StudioApi.
import { RunsScreen } from './screens/runs/RunsScreen';
import { connectStudio } from './studioClient';

const studio = connectStudio();

export function App() {
  return (
    <main style={{ fontFamily: 'system-ui, sans-serif', maxWidth: 960, margin: '40px auto', lineHeight: 1.5 }}>
      <h1>DRPO Studio</h1>
      <p>Align a language model without training it: Dynamic Rewarding with Prompt Optimization.</p>
      <RunsScreen studio={studio} />
    </main>
  );
}
