/** The D1 tables, as drizzle sees them; drizzle-kit turns changes here into worker/migrations. */
import { sql } from 'drizzle-orm';
import { check, index, integer, primaryKey, sqliteTable, text } from 'drizzle-orm/sqlite-core';

const createdAt = () => text('created_at').notNull().default(sql`(strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))`);

/** A team that owns services and receives their stories. */
export const departments = sqliteTable('departments', {
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  contactEmail: text('contact_email').notNull(),
  retentionDays: integer('retention_days').notNull().default(730),
  createdAt: createdAt(),
});

/** A public service that a department runs and that pages embed the widget for. */
export const services = sqliteTable(
  'services',
  {
    id: text('id').primaryKey(),
    departmentId: text('department_id')
      .notNull()
      .references(() => departments.id),
    name: text('name').notNull(),
    createdAt: createdAt(),
  },
  (table) => [index('services_department_idx').on(table.departmentId)],
);

/** The web origins allowed to post stories for a service (`https://www.example.gov.uk`). */
export const serviceOrigins = sqliteTable(
  'service_origins',
  {
    serviceId: text('service_id')
      .notNull()
      .references(() => services.id, { onDelete: 'cascade' }),
    origin: text('origin').notNull(),
  },
  (table) => [
    primaryKey({ columns: [table.serviceId, table.origin] }),
    index('service_origins_origin_idx').on(table.origin),
  ],
);

/** One citizen's rating and story. */
export const feedback = sqliteTable(
  'feedback',
  {
    id: text('id').primaryKey(),
    serviceId: text('service_id')
      .notNull()
      .references(() => services.id),
    rating: integer('rating').notNull(),
    story: text('story'),
    page: text('page'),
    locale: text('locale').notNull().default('en'),
    idempotencyKey: text('idempotency_key').notNull().unique(),
    /** SHA-256 of the submission without its key: a replay must match it to count as the same story. */
    fingerprint: text('fingerprint').notNull(),
    createdAt: createdAt(),
  },
  (table) => [
    index('feedback_service_created_idx').on(table.serviceId, table.createdAt),
    check('feedback_rating_range', sql`${table.rating} BETWEEN 1 AND 5`),
  ],
);

export type Department = typeof departments.$inferSelect;
export type Service = typeof services.$inferSelect;
export type Feedback = typeof feedback.$inferSelect;
export type NewFeedback = typeof feedback.$inferInsert;
