import { Component } from 'react';

/**
 * One failure in rendering (an unexpected answer from the server, a bug) costs the page, not the app: a message with
 * a way forward instead of a blank screen. "Try again" loads the data afresh; the header and navigation stay usable.
 */
export default class ErrorBoundary extends Component {
  constructor(props) {
    super(props);
    this.state = { failed: false };
  }

  static getDerivedStateFromError() {
    return { failed: true };
  }

  componentDidUpdate(_, before) {
    if (this.state.failed && !before.failed) document.getElementById('page-title')?.focus();
  }

  retry = () => {
    this.props.onRetry?.();
    this.setState({ failed: false });
  };

  render() {
    if (!this.state.failed) return this.props.children;
    const page = (
      <section aria-labelledby="page-title">
        <h1 id="page-title" tabIndex={-1}>Something went wrong</h1>
        <p role="alert">This page could not be shown. Nothing you saved is lost.</p>
        <div className="actions">
          <button type="button" onClick={this.retry}>Try again</button>
          <button type="button" className="secondary" onClick={() => window.location.reload()}>Reload the page</button>
        </div>
      </section>
    );
    return this.props.standalone ? <main>{page}</main> : page;
  }
}
