import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

/**
 * The standalone detector: `.output/detector/phone-detector.js`, one minified classic script (an IIFE,
 * no imports) that defines `globalThis.PhoneDetector`. Entry: lib/click-to-call/standalone-detector.ts.
 *
 *   vite build --config detector.vite.config.ts
 */
const root = fileURLToPath(new URL('.', import.meta.url));

export default defineConfig({
  root,
  publicDir: false,
  resolve: { alias: { '@/': root } },
  build: {
    outDir: '.output/detector',
    emptyOutDir: true,
    target: 'es2022',
    minify: true,
    sourcemap: false,
    reportCompressedSize: true,
    lib: {
      entry: 'lib/click-to-call/standalone-detector.ts',
      formats: ['iife'],
      name: 'PhoneDetectorBundle',
      fileName: () => 'phone-detector.js',
    },
  },
});
