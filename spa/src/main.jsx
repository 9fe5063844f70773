import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import App from './App.jsx';
import ErrorBoundary from './ErrorBoundary.jsx';
import './styles.css';

createRoot(document.getElementById('root')).render(
  <StrictMode>
    {/* The last line of defence (the header failed too): the app starts afresh on "Try again". */}
    <ErrorBoundary standalone>
      <App />
    </ErrorBoundary>
  </StrictMode>,
);
