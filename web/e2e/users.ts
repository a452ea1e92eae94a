// The users the end-to-end tests log in as (created by global-setup.ts).
export const USERS = {
  ana: { email: 'ana.ruiz@e2e.test', name: 'Ana Ruiz', password: 'ana-long-secret', org: 'E2E Lending', team: 'Blue', role: 'officer' },
  ben: { email: 'ben.ode@e2e.test', name: 'Ben Ode', password: 'ben-long-secret', org: 'E2E Lending', team: 'Blue', role: 'officer' },
  // Gets half a year of seeded call history (patterns.e2e.ts).
  cal: { email: 'cal.reyes@e2e.test', name: 'Cal Reyes', password: 'cal-long-secret', org: 'E2E Lending', team: 'Green', role: 'officer' },
  // The lead priority test (leads.e2e.ts): an org of their own, so the
  // history seeded there reaches no other test's officer or model.
  dee: { email: 'dee.lang@e2e.test', name: 'Dee Lang', password: 'dee-long-secret', org: 'E2E Leads', team: 'Gold', role: 'officer' },
  // Imports that history (POST /api/import is for admins) and retrains the model.
  ada: { email: 'ada.park@e2e.test', name: 'Ada Park', password: 'ada-long-secret', org: 'E2E Leads', team: 'Gold', role: 'admin' },
  // Gets half a year of calls whose appointments, not answers, peak on
  // Tuesdays and Thursdays (patterns.e2e.ts).
  fay: { email: 'fay.nunez@e2e.test', name: 'Fay Nunez', password: 'fay-long-secret', org: 'E2E Lending', team: 'Green', role: 'officer' },
  // Content to create and what top performers do differently (content.e2e.ts):
  // an org of its own, whose ten officers' history (Eli's included) its admin
  // imports, so no other test's officer is compared with them.
  eli: { email: 'eli.varga@e2e.test', name: 'Eli Varga', password: 'eli-long-secret', org: 'E2E Peers', team: 'Teal', role: 'officer' },
  ivo: { email: 'ivo.stone@e2e.test', name: 'Ivo Stone', password: 'ivo-long-secret', org: 'E2E Peers', team: 'Teal', role: 'admin' },
  // When to call a lead (calltime.e2e.ts): an org of his own, so the answer
  // rates by hour that a contact's hours are pulled toward are his alone.
  gus: { email: 'gus.hale@e2e.test', name: 'Gus Hale', password: 'gus-long-secret', org: 'E2E Hours', team: 'Plum', role: 'officer' },
  // The accountability hub (hub-*.e2e.ts): an org of its own, one officer
  // per test file so one file's celebrations and notifications reach no
  // other, and the team's manager for the roll-up. Four officers: fewer than
  // the five peer bands need.
  nia: { email: 'nia.holt@e2e.test', name: 'Nia Holt', password: 'nia-long-secret', org: 'E2E Hub', team: 'Coral', role: 'officer' },
  tom: { email: 'tom.vance@e2e.test', name: 'Tom Vance', password: 'tom-long-secret', org: 'E2E Hub', team: 'Coral', role: 'officer' },
  wes: { email: 'wes.moreau@e2e.test', name: 'Wes Moreau', password: 'wes-long-secret', org: 'E2E Hub', team: 'Coral', role: 'officer' },
  // Joined 120 days ago (imported with that created_at, then given a
  // password), so the monthly view has whole past periods to recommend from.
  mona: { email: 'mona.diaz@e2e.test', name: 'Mona Diaz', password: 'mona-long-secret', org: 'E2E Hub', team: 'Coral', role: 'officer', joinedDaysAgo: 120 },
  max: { email: 'max.kohl@e2e.test', name: 'Max Kohl', password: 'max-long-secret', org: 'E2E Hub', team: 'Coral', role: 'manager' },
  // Gamification (game-*.e2e.ts): an org of its own, so its points,
  // leaderboards, named setting, feed and competitions reach no other test.
  // Six officers in one team: enough (five) for anonymous bands. One officer
  // per test file, so one file's badges and celebrations reach no other.
  gia: { email: 'gia.rossi@e2e.test', name: 'Gia Rossi', password: 'gia-long-secret', org: 'E2E Game', team: 'Lime', role: 'admin' },
  mel: { email: 'mel.ortiz@e2e.test', name: 'Mel Ortiz', password: 'mel-long-secret', org: 'E2E Game', team: 'Lime', role: 'manager' },
  // Redeems rewards (game-rewards.e2e.ts).
  oli: { email: 'oli.brandt@e2e.test', name: 'Oli Brandt', password: 'oli-long-secret', org: 'E2E Game', team: 'Lime', role: 'officer' },
  // Unlocks a first badge live; the profile and the streak (game-profile.e2e.ts).
  pia: { email: 'pia.lund@e2e.test', name: 'Pia Lund', password: 'pia-long-secret', org: 'E2E Game', team: 'Lime', role: 'officer' },
  // Leaderboards and the feed (game-leaderboard.e2e.ts).
  rae: { email: 'rae.coburn@e2e.test', name: 'Rae Coburn', password: 'rae-long-secret', org: 'E2E Game', team: 'Lime', role: 'officer' },
  tia: { email: 'tia.moss@e2e.test', name: 'Tia Moss', password: 'tia-long-secret', org: 'E2E Game', team: 'Lime', role: 'officer' },
  // Competitions (game-competitions.e2e.ts).
  sam: { email: 'sam.ibarra@e2e.test', name: 'Sam Ibarra', password: 'sam-long-secret', org: 'E2E Game', team: 'Lime', role: 'officer' },
  uma: { email: 'uma.keller@e2e.test', name: 'Uma Keller', password: 'uma-long-secret', org: 'E2E Game', team: 'Lime', role: 'officer' },
} as const;
