// routesSql in D1 against subscriptionsFor in JS: the same routes for every kind of subscription and story.
import { beforeEach, describe, expect, it } from 'vitest';
import { SEVERITIES } from '../../shared';
import type { Db } from '../db/client';
import { departments, type NewSubscription, services, subscriptions } from '../db/schema';
import { seed } from '../test/seed';
import { type RoutableStory, subscriptionsFor } from './routing';
import { routesSql } from './routing-sql';

let db: Db;
beforeEach(async () => {
  db = await seed();
});

/** Every combination of the filter's columns, as subscriptions of the waste department. */
function everyKindOfSubscription(): NewSubscription[] {
  const rows: NewSubscription[] = [];
  for (const state of ['active', 'disabled'] as const)
    for (const services of [
      null,
      [],
      ['missed-bin-collection'],
      ['bulky-waste', 'missed-bin-collection'],
      ['bulky-waste'],
    ])
      for (const minSeverity of SEVERITIES)
        for (const maxRating of [null, 1, 2, 5])
          for (const mode of ['each', 'daily'] as const)
            rows.push({
              id: `sub-${rows.length.toString().padStart(3, '0')}`,
              departmentId: 'waste',
              kind: 'email',
              target: 'team@anytown.example.gov.uk',
              state,
              services,
              minSeverity,
              maxRating,
              mode,
            });
  return rows;
}

async function routesInSql(story: RoutableStory) {
  return db.all<{ subscription_id: string; kind: string; n: number }>(routesSql(story));
}

describe('routesSql', () => {
  it('picks the same subscriptions, each or digest, as subscriptionsFor for every story', async () => {
    const rows = everyKindOfSubscription();
    for (let i = 0; i < rows.length; i += 10) await db.insert(subscriptions).values(rows.slice(i, i + 10));
    const stored = await db.select().from(subscriptions);
    for (const serviceId of ['missed-bin-collection', 'bulky-waste'])
      for (const rating of [1, 2, 3, 4, 5])
        for (const severity of SEVERITIES) {
          const story = { serviceId, rating, severity };
          const inSql = (await routesInSql(story)).map((route) => ({
            subscriptionId: route.subscription_id,
            kind: route.kind,
          }));
          const inJs = subscriptionsFor(story, stored);
          expect(inSql.length, JSON.stringify(story)).toBeGreaterThan(0);
          expect(sortById(inSql), JSON.stringify(story)).toEqual(sortById(inJs));
        }
  });

  it('numbers the routes 0, 1, 2… so each picks a pre-made id of its own', async () => {
    await db.insert(subscriptions).values(everyKindOfSubscription().slice(0, 10));
    const routes = await routesInSql({ serviceId: 'missed-bin-collection', rating: 1, severity: 'urgent' });
    expect(routes.map((route) => route.n)).toEqual(routes.map((_, i) => i));
  });

  it("leaves out another department's subscriptions and a service that does not exist", async () => {
    await db
      .insert(departments)
      .values({ id: 'parks', name: 'Parks', contactEmail: 'parks@anytown.example.gov.uk' });
    await db.insert(services).values({ id: 'allotments', departmentId: 'parks', name: 'Rent an allotment' });
    await db.insert(subscriptions).values({
      id: 'sub-parks',
      departmentId: 'parks',
      kind: 'email',
      target: 'parks@anytown.example.gov.uk',
    });
    expect(await routesInSql({ serviceId: 'missed-bin-collection', rating: 1, severity: 'normal' })).toEqual(
      [],
    );
    expect(await routesInSql({ serviceId: 'no-such-service', rating: 1, severity: 'normal' })).toEqual([]);
    expect(await routesInSql({ serviceId: 'allotments', rating: 1, severity: 'normal' })).toHaveLength(1);
  });
});

function sortById<T extends { subscriptionId: string }>(routes: T[]) {
  return [...routes].sort((a, b) => a.subscriptionId.localeCompare(b.subscriptionId));
}
