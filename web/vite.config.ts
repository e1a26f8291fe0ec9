import { defineConfig } from 'vite';
import preact from '@preact/preset-vite';

/**
 * The dashboard's build: root web/, output web/dist (the server serves it at /). `vite` in dev mode
 * proxies the API (and its WebSocket) to a node running on the default port.
 */
export default defineConfig({
  root: import.meta.dirname,
  base: '/',
  plugins: [preact()],
  build: { outDir: 'dist', emptyOutDir: true, sourcemap: false },
  server: {
    proxy: { '/api': { target: 'http://127.0.0.1:8080', ws: true } },
  },
});
