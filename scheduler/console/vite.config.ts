import { defineConfig } from 'vitest/config';
import react from '@vitejs/plugin-react';

// The platform serves the console at /console/; the Maven build passes CONSOLE_OUT_DIR so the files land in the
// scheduler module's jar (META-INF/resources/console/). `npm run dev` proxies the API to a local platform.
export default defineConfig({
  base: '/console/',
  plugins: [react()],
  build: {
    outDir: process.env.CONSOLE_OUT_DIR || 'dist',
    emptyOutDir: true,
    // React and ECharts' bar and line charts make one ~830 kB chunk (270 kB gzipped): fine for an internal console.
    chunkSizeWarningLimit: 2000,
  },
  server: {
    proxy: { '/api': process.env.KOPEK_URL || 'http://localhost:8080' },
  },
  test: {
    environment: 'node',
    include: ['src/**/*.test.{ts,tsx}'],
  },
});
