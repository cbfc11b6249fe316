/** `subscriptionsFor` as SQL, so a story's outbox rows can be written in the batch that stores it. */
import { type SQL, sql } from 'drizzle-orm';
import { meetsSeverity, SEVERITIES } from '../../shared';
import { type RoutableStory, routeKind } from './routing';

/**
 * A SELECT of the routes for a story, with the same filter as `subscriptionWants` over the active
 * subscriptions of the department that owns the story's service: `subscription_id`, `kind`, and
 * `n`, the route's place (0, 1, …) among them, to pick its outbox row's pre-made id. The story's
 * severity is known before the batch, so which minimum severities it meets and how each mode takes
 * it are decided here in JS by the same functions routing uses, and only the subscription's
 * columns are read in SQL.
 */
export function routesSql(story: RoutableStory): SQL {
  const severities = SEVERITIES.filter((minimum) => meetsSeverity(story.severity, minimum));
  return sql`SELECT s.id AS subscription_id,
      CASE s.mode WHEN 'daily' THEN ${routeKind('daily', story.severity)} ELSE ${routeKind('each', story.severity)} END AS kind,
      row_number() OVER (ORDER BY s.id) - 1 AS n
    FROM subscriptions s
    WHERE s.department_id = (SELECT department_id FROM services WHERE id = ${story.serviceId})
      AND s.state = 'active'
      AND (coalesce(json_type(s.services), 'null') = 'null'
        OR EXISTS (SELECT 1 FROM json_each(s.services) WHERE json_each.value = ${story.serviceId}))
      AND s.min_severity IN (${sql.join(
        severities.map((severity) => sql`${severity}`),
        sql`, `,
      )})
      AND (s.max_rating IS NULL OR s.max_rating >= ${story.rating})`;
}
