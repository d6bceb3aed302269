/** Tag taxonomy (groups, tags, automatic rules) and tag import. Placeholder until the pages land. */
export function TagsPage() {
  return <div data-testid="tags-page" />
}
export function TagImportPage() {
  return <div data-testid="tag-import-page" />
}
