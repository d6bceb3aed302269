// Sales pages (opportunities): the board, the list, one opportunity, the forecast — each a routed page.
import './i18n.js'

export { OpportunitiesBoardPage } from './Board.js'
export { OpportunityPage } from './Detail.js'
export { ForecastPage } from './Forecast.js'
export { OpportunitiesListPage } from './List.js'
