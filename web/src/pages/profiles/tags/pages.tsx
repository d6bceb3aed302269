/** Tag taxonomy (groups, tags, automatic rules) and tag import: the routed pages. */
export { TagImportPage } from './TagImport.js'
export { TagsPage } from './TagsPage.js'
