// The person directory and the profile view (画像): each export is a routed page (App.tsx, layout/nav.ts).
export { PersonProfilePage } from './PersonProfile.js'
export { PersonsPage } from './PersonsList.js'
