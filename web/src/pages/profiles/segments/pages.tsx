// Segments (人群): each export is a routed page (web/src/layout/nav.ts, web/src/App.tsx).
export { SegmentPage } from './SegmentDetail.js'
export { SegmentsPage } from './SegmentsList.js'
