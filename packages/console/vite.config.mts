import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// Served by the api at /console (docs/architecture.md, The operator console); hashed files go to assets/.
export default defineConfig({
  base: '/console/',
  plugins: [react()],
  // One bundle, fetched once and kept (immutable): React, the query cache, uPlot and cron-parser's luxon.
  build: { outDir: 'dist', emptyOutDir: true, assetsDir: 'assets', sourcemap: false, chunkSizeWarningLimit: 700 },
  server: { proxy: { '/admin': 'http://localhost:3000', '/health': 'http://localhost:3000' } },
});
