import type { RouteSample } from './types.js'

export const samples: RouteSample[] = []
