// A screen's heading: its title, one paragraph saying what it is for, and optional actions on the right.
import type { ReactNode } from 'react';

interface Props {
  title: ReactNode;
  /** The paragraph under the title. */
  children: ReactNode;
  actions?: ReactNode;
}

export function ScreenHeader({ title, children, actions }: Props) {
  return (
    <div className="screen-header">
      <div>
        <h2>{title}</h2>
        <p>{children}</p>
      </div>
      {actions}
    </div>
  );
}
