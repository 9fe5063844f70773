import { defineConfig } from 'vite';

// The gateway of `make run`; override with BACKEND_URL=https://host:port npm run dev.
const backend = process.env.BACKEND_URL || 'https://localhost:8443';

export default defineConfig({
  // JSX through Vite's own esbuild transform (no @vitejs/plugin-react, so no Babel in the toolchain;
  // the dev server reloads the page on change instead of hot-swapping components).
  esbuild: { jsx: 'automatic' },
  optimizeDeps: { include: ['react', 'react-dom/client', 'react/jsx-runtime', 'react/jsx-dev-runtime'] },
  build: {
    outDir: 'dist',
    // Nothing inlined into index.html and no data: URLs: the built app must run under the gateway's CSP
    // (script-src 'self'; style-src 'self'). Every browser we support has modulepreload natively.
    modulePreload: { polyfill: false },
    assetsInlineLimit: 0,
    sourcemap: false,
  },
  server: {
    host: 'localhost',
    port: 5173,
    strictPort: true,
    // The display-name rules are the server's own file (src/displayName.js imports it from service-kit).
    fs: { allow: ['.', '../service-kit/src/main/resources/dev/suite/names'] },
    proxy: {
      '/api': {
        target: backend,
        // make run's gateway uses a generated dev CA that Node does not trust.
        secure: false,
        changeOrigin: true,
        configure(proxy) {
          // The gateway accepts unsafe requests only from its own origin (Origin / Sec-Fetch-Site). Through
          // this dev proxy the browser's origin is http://localhost:5173, so present the gateway's own
          // origin instead. Dev only: the CSRF token is still required and checked.
          proxy.on('proxyReq', (proxyReq) => {
            if (proxyReq.getHeader('origin')) proxyReq.setHeader('origin', new URL(backend).origin);
          });
        },
      },
    },
  },
});
