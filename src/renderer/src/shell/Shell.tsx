// The studio's frame: header (name, theme toggle), left navigation, and the current screen.
import { type ReactNode, useRef } from 'react';
import { ErrorBoundary } from './ErrorBoundary';
import { MoonIcon, SunIcon } from './icons';
import { useTheme } from './themeChoice';

export interface ScreenEntry<Id extends string> {
  id: Id;
  label: string;
  icon: ReactNode;
  /** A dot beside the label (e.g. unsaved changes). */
  marked?: boolean;
  render: () => ReactNode;
}

export function Shell<Id extends string>({
  screens,
  current,
  onNavigate,
}: {
  screens: readonly ScreenEntry<Id>[];
  current: Id;
  onNavigate: (id: Id) => void;
}) {
  const { theme, toggle } = useTheme();
  const mainRef = useRef<HTMLElement>(null);
  const screen = screens.find((s) => s.id === current) ?? screens[0];
  const nextTheme = theme === 'dark' ? 'light' : 'dark';

  return (
    <div className="app">
      {/* A button, not a link to #main: in browser mode the fragment carries the session token. */}
      <button type="button" className="skip-link" onClick={() => mainRef.current?.focus()}>
        Skip to content
      </button>
      <header className="app-header">
        <span className="logo" aria-hidden="true">
          D
        </span>
        <h1>DRPO Studio</h1>
        <p className="tagline">Align a language model without training it</p>
        <span className="spacer" />
        <button
          type="button"
          className="ghost"
          data-testid="theme-toggle"
          onClick={toggle}
          aria-label={`Switch to ${nextTheme} theme`}
          title={`Switch to ${nextTheme} theme`}
        >
          {theme === 'dark' ? <SunIcon /> : <MoonIcon />}
          <span className="small">{theme === 'dark' ? 'Light' : 'Dark'}</span>
        </button>
      </header>
      <nav className="app-nav" aria-label="Screens">
        <ul>
          {screens.map((s) => (
            <li key={s.id}>
              <button
                type="button"
                data-testid={`nav-${s.id}`}
                aria-current={s.id === current ? 'page' : undefined}
                onClick={() => onNavigate(s.id)}
              >
                {s.icon}
                <span>{s.label}</span>
                {s.marked && (
                  <span className="nav-dot" role="img" title="Unsaved changes" aria-label="(unsaved changes)" />
                )}
              </button>
            </li>
          ))}
        </ul>
      </nav>
      <main className="app-main" id="main" ref={mainRef} tabIndex={-1}>
        {screen && (
          <div className="screen-frame">
            <ErrorBoundary key={screen.id} name={screen.label}>
              {screen.render()}
            </ErrorBoundary>
          </div>
        )}
      </main>
    </div>
  );
}
