// The officers the end-to-end tests log in as (created by global-setup.ts).
export const USERS = {
  ana: { email: 'ana.ruiz@e2e.test', name: 'Ana Ruiz', password: 'ana-long-secret', org: 'E2E Lending', team: 'Blue' },
  ben: { email: 'ben.ode@e2e.test', name: 'Ben Ode', password: 'ben-long-secret', org: 'E2E Lending', team: 'Blue' },
  // Gets half a year of seeded call history (patterns.e2e.ts).
  cal: { email: 'cal.reyes@e2e.test', name: 'Cal Reyes', password: 'cal-long-secret', org: 'E2E Lending', team: 'Green' },
} as const;
