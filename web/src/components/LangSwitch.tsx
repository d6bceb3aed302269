import { GlobalOutlined } from '@ant-design/icons'
import { useQueryClient } from '@tanstack/react-query'
import { Select } from 'antd'
import { useTranslation } from 'react-i18next'
import { LANG_KEY } from '../api/client.js'
import { LANGUAGES } from '../i18n/index.js'

/** Language picker for the pages without the app header (setup, login). */
export function LangSwitch() {
  const { i18n, t } = useTranslation()
  const qc = useQueryClient()
  return (
    <Select
      size="small"
      variant="borderless"
      aria-label={t('app.language')}
      prefix={<GlobalOutlined />}
      value={i18n.language}
      options={LANGUAGES.map((l) => ({ value: l.code, label: l.label }))}
      onChange={(code) => {
        localStorage.setItem(LANG_KEY, code)
        void i18n.changeLanguage(code)
        void qc.invalidateQueries()
      }}
      data-testid="lang-select"
    />
  )
}
