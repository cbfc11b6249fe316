// The operator CLI against a running worker, as an operator would use it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runTellus, startWorker, type Worker } from './test/harness';

let worker: Worker;
beforeAll(async () => {
  worker = await startWorker();
});
afterAll(async () => {
  await worker?.stop();
});

const tellus = (...args: string[]) => runTellus(worker, ...args);

describe('npm run tellus', () => {
  it('registers a department, a service and a subscription without SQL', async () => {
    expect(
      (
        await tellus(
          'departments',
          'add',
          '--id',
          'parking',
          '--name',
          'Parking',
          '--email',
          'parking@anytown.example.gov.uk',
        )
      ).code,
    ).toBe(0);
    const service = await tellus(
      'services',
      'add',
      '--id',
      'permits',
      '--department',
      'parking',
      '--name',
      'Resident permits',
      '--origin',
      'https://www.anytown.example.gov.uk',
    );
    expect(JSON.parse(service.out)).toMatchObject({
      id: 'permits',
      origins: ['https://www.anytown.example.gov.uk'],
    });
    const subscription = await tellus(
      'subscriptions',
      'add',
      '--department',
      'parking',
      '--kind',
      'email',
      '--target',
      'permits@anytown.example.gov.uk',
      '--mode',
      'daily',
      '--max-rating',
      '2',
    );
    expect(JSON.parse(subscription.out)).toMatchObject({ kind: 'email', mode: 'daily', maxRating: 2 });
    const listed = JSON.parse((await tellus('subscriptions', 'list', '--department', 'parking')).out);
    expect(listed.subscriptions).toHaveLength(1);
  });

  it('adds a Slack channel, printing its URL once, then lists it masked', async () => {
    const url = 'https://hooks.slack.com/services/T0CLI0001/B0CLI0002/cLiSeCrEtToKeN0123456789';
    const added = await tellus(
      'subscriptions',
      'add',
      '--department',
      'anytown-waste',
      '--kind',
      'slack',
      '--target',
      url,
      '--min-severity',
      'urgent',
    );
    expect(added.code).toBe(0);
    const { id } = JSON.parse(added.out);
    expect(JSON.parse(added.out)).toMatchObject({ kind: 'slack', target: url, minSeverity: 'urgent' });
    const listed = await tellus('subscriptions', 'list');
    expect(JSON.parse(listed.out).subscriptions).toContainEqual(
      expect.objectContaining({ id, target: 'https://hooks.slack.com/services/T0CL…' }),
    );
    expect(listed.out).not.toContain('cLiSeCrEtToKeN0123456789');
    const daily = await tellus(
      'subscriptions',
      'add',
      '--department',
      'anytown-waste',
      '--kind',
      'teams',
      '--target',
      url,
      '--mode',
      'daily',
    );
    expect(daily.code).not.toBe(0);
    expect(daily.out).toContain('Only email has daily digests');
  });

  it("sets a service's own hint and signposting, in English and Welsh", async () => {
    const updated = await tellus(
      'services',
      'update',
      '--id',
      'missed-bin-collection',
      '--signposting',
      'Not for emergencies. To complain, use the complaints form.',
      '--hint-cy',
      'Peidiwch â chynnwys eich enw.',
    );
    expect(updated.code).toBe(0);
    expect(JSON.parse(updated.out)).toMatchObject({
      id: 'missed-bin-collection',
      wording: {
        en: { signposting: 'Not for emergencies. To complain, use the complaints form.' },
        cy: { storyHint: 'Peidiwch â chynnwys eich enw.' },
      },
    });
  });

  it("sets a service's privacy link, and adds console members with their roles", async () => {
    const privacy = 'https://www.anytown.example.gov.uk/privacy/feedback';
    const updated = await tellus(
      'services',
      'update',
      '--id',
      'missed-bin-collection',
      '--privacy-url',
      privacy,
    );
    expect(JSON.parse(updated.out)).toMatchObject({ privacyUrl: privacy });
    const off = await tellus('services', 'update', '--id', 'missed-bin-collection', '--privacy-off');
    expect(JSON.parse(off.out)).toMatchObject({ privacyUrl: null });

    const add = (email: string, ...role: string[]) =>
      tellus('members', 'add', '--department', 'parking', '--email', email, ...role);
    expect(JSON.parse((await add('lead@anytown.example.gov.uk')).out)).toMatchObject({ role: 'admin' });
    expect(JSON.parse((await add('officer@anytown.example.gov.uk')).out)).toMatchObject({ role: 'member' });
    expect(JSON.parse((await add('deputy@anytown.example.gov.uk', '--role', 'admin')).out)).toMatchObject({
      role: 'admin',
    });
  });

  it('explains a refusal and exits non-zero', async () => {
    const result = await tellus(
      'subscriptions',
      'add',
      '--department',
      'parking',
      '--kind',
      'webhook',
      '--target',
      'http://example.org/x',
    );
    expect(result.code).toBe(1);
    expect(result.out).toContain('target: The webhook URL must use https');
  });
});
