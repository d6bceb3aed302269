/** Segments: list, builder with live count, detail. Placeholder until the pages land. */
export function SegmentsPage() {
  return <div data-testid="segments-page" />
}
export function SegmentPage() {
  return <div data-testid="segment-page" />
}
