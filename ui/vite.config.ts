import { defineConfig } from 'vite';
import { fileURLToPath } from 'node:url';

// Relative base: the panel is served under the ingress path, which changes per installation.
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: './',
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    reportCompressedSize: true,
  },
});
