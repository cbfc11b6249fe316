// The upgrade that keys fingerprints: the plain hashes of unredacted submissions are erased.
import { applyD1Migrations, reset } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';

describe('migration 0008', () => {
  it('erases every fingerprint that was a plain hash of the submission before redaction', async () => {
    await reset();
    const migrations = env.TEST_MIGRATIONS;
    const upgrade = migrations.findIndex((migration) => migration.name.startsWith('0008_'));
    expect(upgrade).toBeGreaterThan(0);
    await applyD1Migrations(env.DB, migrations.slice(0, upgrade));
    await env.DB.batch([
      env.DB.prepare(
        "INSERT INTO departments (id, name, contact_email) VALUES ('waste', 'Waste', 'w@x.example')",
      ),
      env.DB.prepare("INSERT INTO services (id, department_id, name) VALUES ('bins', 'waste', 'Bins')"),
      env.DB.prepare(
        "INSERT INTO feedback (id, service_id, rating, story, idempotency_key, fingerprint) VALUES ('f1', 'bins', 2, 'Ring [phone]', 'key-0000000000000001', ?)",
      ).bind('a'.repeat(64)),
    ]);
    await applyD1Migrations(env.DB, migrations);
    const row = await env.DB.prepare("SELECT fingerprint, story FROM feedback WHERE id = 'f1'").first();
    expect(row).toEqual({ fingerprint: '', story: 'Ring [phone]' });
  });
});
