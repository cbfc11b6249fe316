// Test data: an empty database with the real migrations, then one department, two services
// and their allowed origins, written through drizzle.
import { applyD1Migrations, reset } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { createDb } from '../db/client';
import { departments, serviceOrigins, services } from '../db/schema';

export const ORIGIN = 'https://www.anytown.example.gov.uk';
export const OTHER_ORIGIN = 'https://www.elsewhere.example.org';

/** Empties every binding, replays the migrations and seeds the test services. */
export async function seed() {
  await reset();
  await applyD1Migrations(env.DB, env.TEST_MIGRATIONS);
  const db = createDb(env.DB);
  await db.batch([
    db
      .insert(departments)
      .values({ id: 'waste', name: 'Waste and Recycling', contactEmail: 'waste@anytown.example.gov.uk' }),
    db.insert(services).values([
      { id: 'missed-bin-collection', departmentId: 'waste', name: 'Report a missed bin collection' },
      { id: 'bulky-waste', departmentId: 'waste', name: 'Book a bulky waste collection' },
    ]),
    db.insert(serviceOrigins).values([
      { serviceId: 'missed-bin-collection', origin: ORIGIN },
      { serviceId: 'bulky-waste', origin: OTHER_ORIGIN },
    ]),
  ]);
  return db;
}
