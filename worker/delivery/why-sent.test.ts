import { describe, expect, it } from 'vitest';
import { whySent } from './why-sent';

const names = new Map([
  ['missed-bin-collection', 'Report a missed bin collection'],
  ['bulky-waste', 'Book a bulky waste collection'],
  ['garden-waste', 'Garden waste'],
]);
const every = { services: null, minSeverity: 'normal', maxRating: null, mode: 'each' } as const;

describe('whySent', () => {
  it('names a subscription to everything', () => {
    expect(whySent(every, names)).toBe(
      'You get this because your subscription sends stories of all services as they arrive.',
    );
  });

  it('names the services, the severity and the rating a subscription asks for', () => {
    expect(
      whySent(
        { services: ['missed-bin-collection'], minSeverity: 'urgent', maxRating: 2, mode: 'each' },
        names,
      ),
    ).toBe(
      'You get this because your subscription sends urgent stories of Report a missed bin collection rated 2 or lower as they arrive.',
    );
  });

  it('lists several services, and shows the id of one it has no name for', () => {
    expect(whySent({ ...every, services: ['bulky-waste', 'garden-waste', 'gone'] }, names)).toBe(
      'You get this because your subscription sends stories of Book a bulky waste collection, Garden waste and gone as they arrive.',
    );
    expect(whySent({ ...every, services: ['bulky-waste', 'garden-waste'] }, names)).toContain(
      'of Book a bulky waste collection and Garden waste as',
    );
  });

  it('says a daily subscription sends a digest, and urgent stories at once', () => {
    expect(whySent({ ...every, mode: 'daily', maxRating: 3 }, names)).toBe(
      'You get this because your subscription sends stories of all services rated 3 or lower in a daily digest, and urgent ones as they arrive.',
    );
    expect(whySent({ ...every, mode: 'daily', minSeverity: 'urgent' }, names)).toBe(
      'You get this because your subscription sends urgent stories of all services as they arrive.',
    );
  });
});
