import { loadConfig } from './platform/config.js'
import { buildHaina } from './server.js'

/** `haina serve`: the composition root — config → database → modules → HTTP. */
export async function serve(): Promise<void> {
  const config = loadConfig()
  const haina = await buildHaina(config)
  try {
    await haina.app.listen({ port: config.port, host: config.host })
  } catch (err) {
    // The port is taken (EADDRINUSE) or not ours to bind: release the database before failing.
    await haina.close()
    throw err
  }
  const shutdown = async (signal: string) => {
    haina.app.log.info({ signal }, 'shutting down')
    await haina.close()
    process.exit(0)
  }
  process.once('SIGINT', () => void shutdown('SIGINT'))
  process.once('SIGTERM', () => void shutdown('SIGTERM'))
}

if (import.meta.url === `file://${process.argv[1]}`) {
  serve().catch((err) => {
    console.error(err instanceof Error ? err.message : err)
    process.exit(1)
  })
}
