// Console entry point (bundled by scripts/build-renderer.ts): loads the styles and mounts the app.
import { render } from 'preact';
import { App } from './app';
import './styles.css';

const root = document.getElementById('app');
if (root) render(<App />, root);
