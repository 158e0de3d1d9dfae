// config first: a bad environment should stop the app before anything renders.
import './config.ts';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app.tsx';
import { readProgramId } from './features/auth/utils/read-program-id.ts';
import './styles.css';

const container = document.getElementById('root');
if (!container) throw new Error('index.html has no #root element');

createRoot(container).render(
  <StrictMode>
    <App program={readProgramId(window.location.search)} />
  </StrictMode>,
);
