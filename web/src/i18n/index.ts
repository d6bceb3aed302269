import i18n from 'i18next'
import { initReactI18next } from 'react-i18next'
import { LANG_KEY } from '../api/client.js'
import { en } from './en.js'
import { zhCN } from './zh-CN.js'
import { zhTW } from './zh-TW.js'

export const LANGUAGES = [
  { code: 'zh-CN', label: '简体中文' },
  { code: 'zh-TW', label: '繁體中文' },
  { code: 'en', label: 'English' },
] as const
export type Lang = (typeof LANGUAGES)[number]['code']

export function storedLang(): Lang {
  const v = localStorage.getItem(LANG_KEY)
  return LANGUAGES.some((l) => l.code === v) ? (v as Lang) : 'zh-CN'
}

/** The browser tab and the page's language follow the app's language (海纳 CRM, 海納 CRM, Haina CRM). */
function syncDocument(lng: string) {
  if (typeof document === 'undefined') return
  document.documentElement.lang = lng
  document.title = i18n.t('app.name', { lng })
}
// Registered before init: init's own language change sets the first title.
i18n.on('languageChanged', syncDocument)

void i18n.use(initReactI18next).init({
  resources: { 'zh-CN': { translation: zhCN }, 'zh-TW': { translation: zhTW }, en: { translation: en } },
  lng: storedLang(),
  fallbackLng: 'zh-CN',
  interpolation: { escapeValue: false },
})

export { i18n }
