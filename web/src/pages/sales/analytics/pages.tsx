// Sales pages (analytics): ABC, stage conversion, velocity, win rate, forecast vs actual — a routed page.
export { SalesAnalyticsPage } from './Analytics.js'
