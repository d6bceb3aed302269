import { fileURLToPath } from 'node:url'
import { defineConfig } from 'vitest/config'

// Browser journeys: one real server + Debian chromium per file, run one file at a time.
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  test: {
    include: ['**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    fileParallelism: false,
    pool: 'forks',
  },
})
