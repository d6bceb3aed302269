import { i18n } from '../../i18n/index.js'

/** The profiles menu's labels (the pages' own strings live beside each page folder). */
const zhCN = {
  group: '画像与人群',
  persons: '客户画像',
  segments: '人群',
  tags: '标签管理',
  tagImport: '导入标签',
}
type Tree = typeof zhCN
const zhTW: Tree = {
  group: '畫像與人群',
  persons: '客戶畫像',
  segments: '人群',
  tags: '標籤管理',
  tagImport: '匯入標籤',
}
const en: Tree = {
  group: 'Profiles & segments',
  persons: 'Profiles',
  segments: 'Segments',
  tags: 'Tags',
  tagImport: 'Import tags',
}
for (const [lng, tree] of [
  ['zh-CN', zhCN],
  ['zh-TW', zhTW],
  ['en', en],
] as [string, Tree][])
  i18n.addResourceBundle(lng, 'translation', { profilesMenu: tree }, true, true)
