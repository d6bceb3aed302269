/** The person directory and the profile view (画像). Placeholder until the pages land. */
export function PersonsPage() {
  return <div data-testid="persons-page" />
}
export function PersonProfilePage() {
  return <div data-testid="person-profile-page" />
}
