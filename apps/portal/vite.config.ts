import react from '@vitejs/plugin-react';
import { defineConfig, type ProxyOptions } from 'vite';

const apiUrl = process.env.API_URL ?? 'http://127.0.0.1:3000';

// Regex keys, because a plain '/r' key would also send SPA routes such as '/reports' to the API.
const apiPrefixes = ['api', 'r', 'webhooks', 'docs', 'healthz'];
const proxy = Object.fromEntries(
  apiPrefixes.map((prefix): [string, ProxyOptions] => [`^/${prefix}(?:[/?]|$)`, { target: apiUrl }]),
);

export default defineConfig({
  plugins: [react()],
  server: { port: 5174, strictPort: true, proxy },
});
