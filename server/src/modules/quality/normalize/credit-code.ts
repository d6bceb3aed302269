import { cleanText } from './text.js'

// GB 32100-2015: 18 characters from 0-9 and A-Z without I, O, Z, S, V; the last is a check character.
const ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY'
const WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]

export const normalizeCreditCode = (raw: string) => cleanText(raw).toUpperCase().replace(/\s/g, '')

/** The check character the first 17 characters call for (null when one is outside the alphabet). */
export function creditCodeCheckChar(first17: string): string | null {
  let sum = 0
  for (let i = 0; i < 17; i++) {
    const v = ALPHABET.indexOf(first17[i]!)
    if (v < 0) return null
    sum += v * WEIGHTS[i]!
  }
  return ALPHABET[(31 - (sum % 31)) % 31]!
}

export function isCreditCode(code: string): boolean {
  return code.length === 18 && creditCodeCheckChar(code.slice(0, 17)) === code[17]
}
