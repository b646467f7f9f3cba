// The studio's shell: the screens, over whichever transport carries the StudioApi.
import { lazy, type ReactNode, Suspense, useState } from 'react';
import { useCriteriaDirty } from './screens/criteria/criteriaDraft';
import { EndNotifier } from './shell/EndNotifier';
import {
  ConnectionsIcon,
  CriteriaIcon,
  DatasetsIcon,
  ExperimentsIcon,
  IclIcon,
  PlaygroundIcon,
  RunsIcon,
} from './shell/icons';
import { type ScreenEntry, Shell } from './shell/Shell';
import { connectStudio } from './studioClient';

const studio = connectStudio();

// Each screen's code loads on its first visit, so the first load is the shell and the Runs screen only.
const RunsScreen = lazy(() => import('./screens/runs/RunsScreen').then((m) => ({ default: m.RunsScreen })));
const IclWorkbenchScreen = lazy(() =>
  import('./screens/icl/IclWorkbenchScreen').then((m) => ({ default: m.IclWorkbenchScreen })),
);
const PlaygroundScreen = lazy(() =>
  import('./screens/playground/PlaygroundScreen').then((m) => ({ default: m.PlaygroundScreen })),
);
const ExperimentsScreen = lazy(() =>
  import('./screens/experiments/ExperimentsScreen').then((m) => ({ default: m.ExperimentsScreen })),
);
const DatasetsScreen = lazy(() =>
  import('./screens/datasets/DatasetsScreen').then((m) => ({ default: m.DatasetsScreen })),
);
const ConnectionsScreen = lazy(() =>
  import('./screens/connections/ConnectionsScreen').then((m) => ({ default: m.ConnectionsScreen })),
);
const CriteriaScreen = lazy(() =>
  import('./screens/criteria/CriteriaScreen').then((m) => ({ default: m.CriteriaScreen })),
);

/** A screen, with a placeholder until its code has loaded (inside the shell's per-screen ErrorBoundary). */
const loaded = (screen: ReactNode) => (
  <Suspense
    fallback={
      <p className="muted" role="status">
        Loading…
      </p>
    }
  >
    {screen}
  </Suspense>
);

type ScreenId = 'runs' | 'icl' | 'playground' | 'experiments' | 'datasets' | 'connections' | 'criteria';

export function App() {
  const [screen, setScreen] = useState<ScreenId>('runs');
  const criteriaDirty = useCriteriaDirty();

  const screens: ScreenEntry<ScreenId>[] = [
    {
      id: 'runs',
      label: 'Runs',
      icon: <RunsIcon />,
      render: () => loaded(<RunsScreen studio={studio} onOpenConnections={() => setScreen('connections')} />),
    },
    {
      id: 'icl',
      label: 'ICL workbench',
      icon: <IclIcon />,
      render: () => loaded(<IclWorkbenchScreen studio={studio} />),
    },
    {
      id: 'playground',
      label: 'Playground',
      icon: <PlaygroundIcon />,
      render: () => loaded(<PlaygroundScreen studio={studio} />),
    },
    {
      id: 'experiments',
      label: 'Experiments',
      icon: <ExperimentsIcon />,
      render: () => loaded(<ExperimentsScreen studio={studio} />),
    },
    {
      id: 'datasets',
      label: 'Datasets',
      icon: <DatasetsIcon />,
      render: () => loaded(<DatasetsScreen studio={studio} />),
    },
    {
      id: 'connections',
      label: 'Connections',
      icon: <ConnectionsIcon />,
      render: () => loaded(<ConnectionsScreen studio={studio} />),
    },
    {
      id: 'criteria',
      label: 'Reward criteria',
      icon: <CriteriaIcon />,
      marked: criteriaDirty,
      render: () => loaded(<CriteriaScreen studio={studio} />),
    },
  ];

  return (
    <>
      <Shell screens={screens} current={screen} onNavigate={setScreen} />
      <EndNotifier studio={studio} />
    </>
  );
}
