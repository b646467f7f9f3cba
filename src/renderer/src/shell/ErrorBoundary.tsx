// One screen's failure stays in that screen: the shell and the other screens keep working.
import { Component, type ErrorInfo, type ReactNode } from 'react';

interface Props {
  /** Named in the message ("The Connections screen failed"). */
  name: string;
  children: ReactNode;
}

interface State {
  error: Error | null;
}

export class ErrorBoundary extends Component<Props, State> {
  override state: State = { error: null };

  static getDerivedStateFromError(error: unknown): State {
    return { error: error instanceof Error ? error : new Error(String(error)) };
  }

  override componentDidCatch(error: unknown, info: ErrorInfo): void {
    console.error(`The ${this.props.name} screen failed:`, error, info.componentStack);
  }

  override render(): ReactNode {
    const { error } = this.state;
    if (!error) return this.props.children;
    return (
      <section className="screen" data-testid="screen-error">
        <div className="alert" role="alert">
          <strong>The {this.props.name} screen failed.</strong> {error.message}
        </div>
        <p className="muted">The rest of the studio still works; pick another screen, or try this one again.</p>
        <button type="button" className="primary" onClick={() => this.setState({ error: null })}>
          Try again
        </button>
      </section>
    );
  }
}
