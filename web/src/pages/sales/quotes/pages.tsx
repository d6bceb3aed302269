// Sales pages (quotes): the quote list with the approval inbox, and one quote — each a routed page.
import '../opportunities/i18n.js'
import './i18n.js'

export { QuotePage } from './QuoteDetail.js'
export { QuotesPage } from './QuotesList.js'
