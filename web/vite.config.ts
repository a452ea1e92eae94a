import { defineConfig } from 'vitest/config';

// No React plugin: esbuild compiles TSX with the automatic runtime. The dev
// server proxies the API to a running `chosen serve` (default port 8080).
export default defineConfig({
  esbuild: { jsx: 'automatic' },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    sourcemap: false,
    chunkSizeWarningLimit: 800,
    rollupOptions: {
      onwarn(warning, warn) {
        // React Server Components' "use client" markers mean nothing in a client-only bundle.
        if (warning.code === 'MODULE_LEVEL_DIRECTIVE') return;
        warn(warning);
      },
    },
  },
  server: {
    proxy: {
      '/api': { target: process.env.CHOSEN_API ?? 'http://localhost:8080', changeOrigin: false },
      '/healthz': { target: process.env.CHOSEN_API ?? 'http://localhost:8080' },
    },
  },
  test: {
    environment: 'node',
    include: ['src/**/*.test.ts'],
  },
});
