// The studio's shell: the screens, over whichever transport carries the StudioApi.
import { useState } from 'react';
import { ConnectionsScreen } from './screens/connections/ConnectionsScreen';
import { CriteriaScreen } from './screens/criteria/CriteriaScreen';
import { useCriteriaDirty } from './screens/criteria/criteriaDraft';
import { DatasetsScreen } from './screens/datasets/DatasetsScreen';
import { ExperimentsScreen } from './screens/experiments/ExperimentsScreen';
import { IclWorkbenchScreen } from './screens/icl/IclWorkbenchScreen';
import { PlaygroundScreen } from './screens/playground/PlaygroundScreen';
import { RunsScreen } from './screens/runs/RunsScreen';
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

type ScreenId = 'runs' | 'icl' | 'playground' | 'experiments' | 'datasets' | 'connections' | 'criteria';

export function App() {
  const [screen, setScreen] = useState<ScreenId>('runs');
  const criteriaDirty = useCriteriaDirty();

  const screens: ScreenEntry<ScreenId>[] = [
    { id: 'runs', label: 'Runs', icon: <RunsIcon />, render: () => <RunsScreen studio={studio} /> },
    { id: 'icl', label: 'ICL workbench', icon: <IclIcon />, render: () => <IclWorkbenchScreen studio={studio} /> },
    {
      id: 'playground',
      label: 'Playground',
      icon: <PlaygroundIcon />,
      render: () => <PlaygroundScreen studio={studio} />,
    },
    {
      id: 'experiments',
      label: 'Experiments',
      icon: <ExperimentsIcon />,
      render: () => <ExperimentsScreen studio={studio} />,
    },
    { id: 'datasets', label: 'Datasets', icon: <DatasetsIcon />, render: () => <DatasetsScreen studio={studio} /> },
    {
      id: 'connections',
      label: 'Connections',
      icon: <ConnectionsIcon />,
      render: () => <ConnectionsScreen studio={studio} />,
    },
    {
      id: 'criteria',
      label: 'Reward criteria',
      icon: <CriteriaIcon />,
      marked: criteriaDirty,
      render: () => <CriteriaScreen studio={studio} />,
    },
  ];

  return <Shell screens={screens} current={screen} onNavigate={setScreen} />;
}
