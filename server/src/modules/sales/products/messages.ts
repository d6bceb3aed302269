import { registerMessages } from '../../../platform/i18n/messages.js'

/** The product catalogue and price books (issue #5). */
registerMessages({
  product_code_taken: {
    'zh-CN': '产品编码 {code} 已存在',
    'zh-TW': '產品編碼 {code} 已存在',
    en: 'The product code {code} is already in use',
  },
  invalid_product: {
    'zh-CN': '产品不存在或已停用',
    'zh-TW': '產品不存在或已停用',
    en: 'Unknown or inactive product',
  },
})
