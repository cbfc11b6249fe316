// The state the contract test's requests need, by operation: ids for path parameters, made fresh
// for each request that may use them up, and the values a generated body must carry to be taken
// for what it is (a known department, a fresh form token) rather than refused for what it names.
import { eq } from 'drizzle-orm';
import { RECEIPT_LOOKUP_MAX } from '../../shared';
import type { Db } from '../db/client';
import { answers, apiKeys, deliveries, departments, type feedback, members, services } from '../db/schema';
import { newId } from '../ids';
import { randomCode, sha256Hex } from '../spam/keys';
import { signPreviewToken } from '../spam/preview-token';
import { TEST_OPERATOR_TOKEN, TEST_TELLUS_SECRET } from './constants';
import { addWebhook, clientAddress, formToken, insertStory, ORIGIN, OTHER_ORIGIN, seed } from './seed';

/** The department whose keys the test holds; the service it posts stories to from ORIGIN. */
export const DEPARTMENT = 'waste';
const SERVICE = 'missed-bin-collection';
/** A service that publishes, with a published and answered story. */
const PUBLISHING = 'bulky-waste';
/** Where the subscriptions and deliveries used as path parameters live, apart from DEPARTMENT's. */
const FIXTURES = 'fixtures';

export interface Credentials {
  /** Department keys: one with both scopes, one that may only read, one that may only answer. */
  full: string;
  read: string;
  answer: string;
  operator: string;
}

export interface Fixture {
  /** Path parameters by name. */
  params?: () => Promise<Record<string, string>>;
  /** A generated body with the state it refers to put in. */
  link?: (body: Record<string, unknown>) => Promise<Record<string, unknown>>;
  /** Headers the request needs besides its credentials; `variant` tells requests apart. */
  headers?: (variant: number) => Record<string, string>;
  /** Requests refused for who sends them, with the status they get. */
  refusals?: { label: string; headers: Record<string, string>; status: number }[];
  /** A second request after a valid first, changed where the first used something up. */
  again?: (first: Record<string, unknown>) => Record<string, unknown>;
}

let db: Db;
const unique = () => crypto.randomUUID().slice(0, 8);

async function key(scopes: ('read' | 'answer')[]) {
  const key = `tk_contract_${crypto.randomUUID()}`;
  const id = `key_${unique()}`;
  await db.insert(apiKeys).values({ id, departmentId: DEPARTMENT, hash: await sha256Hex(key), scopes });
  return { id, key };
}

/** A story of the department, stored directly (as if it had come through the widget). */
function story(overrides: Partial<typeof feedback.$inferInsert> = {}) {
  return insertStory(db, { serviceId: SERVICE, ...overrides });
}

/** The seeded database, the keys, and a published story with an answer. */
export async function prepare(): Promise<Credentials> {
  db = await seed();
  await db.update(services).set({ publishing: true }).where(eq(services.id, PUBLISHING));
  const published = await story({ serviceId: PUBLISHING, published: true, status: 'answered' });
  await db
    .insert(answers)
    .values({ id: newId(), feedbackId: published, text: 'Sorry: fixed now.', changed: false });
  await db.insert(departments).values({ id: FIXTURES, name: 'Fixtures', contactEmail: 'f@example.gov.uk' });
  return {
    full: (await key(['read', 'answer'])).key,
    read: (await key(['read'])).key,
    answer: (await key(['answer'])).key,
    operator: TEST_OPERATOR_TOKEN,
  };
}

async function receipt() {
  const code = randomCode();
  await story({ receiptHash: await sha256Hex(code) });
  return { code };
}

/** A receipt whose story has an answer, one without, and the generated codes (which name nothing). */
async function receiptsToLookUp(body: Record<string, unknown>) {
  const answered = randomCode();
  const feedbackId = await story({ receiptHash: await sha256Hex(answered), status: 'answered' });
  await db
    .insert(answers)
    .values({ id: newId(), feedbackId, text: 'Emptied today.', changed: true, change: 'A new route sheet.' });
  const generated = Array.isArray(body.receipts) ? body.receipts : [];
  return {
    service: SERVICE,
    receipts: [answered, (await receipt()).code, ...generated].slice(0, RECEIPT_LOOKUP_MAX),
  };
}

async function webhook() {
  const box = `contract-${unique()}`;
  return { id: await addWebhook(db, box, '200', { id: `sub_${unique()}`, departmentId: FIXTURES }) };
}

/** A delivery that failed once and waits for its next attempt. */
async function failedDelivery() {
  const { id: subscriptionId } = await webhook();
  const id = newId();
  await db.insert(deliveries).values({
    id,
    feedbackId: await story(),
    subscriptionId,
    kind: 'each',
    attempts: 1,
    lastStatus: 500,
    dueAt: new Date(Date.now() + 60_000).toISOString(),
  });
  return { id };
}

const ownStory = async () => ({ id: await story() });
const link =
  (values: () => Record<string, unknown> | Promise<Record<string, unknown>>) =>
  async (body: Record<string, unknown>) => ({ ...body, ...(await values()) });

/** What each operation needs, by operationId. */
export const FIXTURES_BY_OPERATION: Record<string, Fixture> = {
  submitFeedback: {
    // A generated preview token is never one the worker signed: a body with one gets a real one.
    link: async (body) => ({
      ...body,
      service: SERVICE,
      token: await formToken(SERVICE),
      ...(body.preview === undefined
        ? {}
        : { preview: await signPreviewToken(TEST_TELLUS_SECRET, SERVICE, Date.now()) }),
    }),
    // A client address of its own for each story, so the burst limit is never what answers.
    headers: () => ({ Origin: ORIGIN, 'CF-Connecting-IP': clientAddress() }),
    refusals: [
      { label: 'no Origin', headers: { Origin: '' }, status: 403 },
      { label: 'an origin of another service', headers: { Origin: OTHER_ORIGIN }, status: 403 },
    ],
    // Another story with the first one's form token: a token makes one story.
    again: (first) => ({ ...first, idempotency_key: crypto.randomUUID() }),
  },
  getFeedback: { params: ownStory },
  changeFeedback: { params: ownStory },
  listAnswers: { params: ownStory },
  answerFeedback: { params: ownStory },
  widgetConfig: { params: async () => ({ id: SERVICE }) },
  publishedStories: { params: async () => ({ id: PUBLISHING }) },
  // A person's browser asks for the page; a program for JSON.
  getReceipt: {
    params: receipt,
    headers: (variant): Record<string, string> => (variant % 2 ? { Accept: 'text/html' } : {}),
  },
  deleteReceipt: { params: receipt },
  lookupReceipts: {
    link: async (body) => ({ ...body, ...(await receiptsToLookUp(body)) }),
    // A client address of its own for each lookup, so the burst limit is never what answers.
    headers: () => ({ 'CF-Connecting-IP': clientAddress() }),
  },
  deleteReceiptFromPage: { params: receipt },
  addKey: { params: async () => ({ id: DEPARTMENT }) },
  listMembers: { params: async () => ({ id: DEPARTMENT }) },
  addMember: { params: async () => ({ id: DEPARTMENT }) },
  removeMember: {
    params: async () => {
      const id = `mem_${unique()}`;
      await db.insert(members).values({ id, departmentId: DEPARTMENT, email: `${id}@example.gov.uk` });
      return { id };
    },
  },
  revokeKey: { params: async () => ({ id: (await key(['read'])).id }) },
  addService: { link: link(() => ({ department_id: DEPARTMENT })) },
  changeService: {
    params: async () => {
      const id = `contract-${unique()}`;
      await db.insert(services).values({ id, departmentId: DEPARTMENT, name: 'A service to change' });
      return { id };
    },
  },
  addSubscription: { link: link(() => ({ department_id: DEPARTMENT })) },
  rotateSecret: { params: webhook },
  enableSubscription: { params: webhook },
  disableSubscription: { params: webhook },
  testSubscription: { params: webhook },
  replaySubscription: { params: webhook },
  deliveryAttempts: { params: failedDelivery },
  replayDelivery: { params: failedDelivery },
};
