/** The Hono app: every route, one error handler, one not-found handler. */
import { Hono } from 'hono';
import { consoleRoutes } from './console/routes';
import { createDb } from './db/client';
import type { AppEnv } from './env';
import { openApiDocument } from './openapi';
import { notFound, onError } from './problem';
import { adminRoutes } from './routes/admin';
import { departmentRoutes, exportCsv } from './routes/department';
import { feedbackRoutes } from './routes/feedback';
import { receiptLookupRoutes } from './routes/receipt-lookup';
import { receiptRoutes } from './routes/receipts';
import { serviceRoutes } from './routes/services';
import { widgetRoutes } from './routes/widget';

export const app = new Hono<AppEnv>();

app.use(async (c, next) => {
  c.set('db', createDb(c.env.DB));
  await next();
});

app.get('/healthz', (c) => c.json({ status: 'ok' }));
app.get('/v1/openapi.json', (c) => {
  c.header('Access-Control-Allow-Origin', '*');
  return c.json(openApiDocument(c.env.PUBLIC_URL));
});
// The department API first: its GET /v1/feedback must come before the public route's 405.
app.route('/v1/feedback.csv', exportCsv);
app.route('/v1/feedback', departmentRoutes);
app.route('/v1/feedback', feedbackRoutes);
app.route('/v1/admin', adminRoutes);
app.route('/v1/services', serviceRoutes);
// Before the receipts: POST /v1/receipts/lookup is not a receipt code.
app.route('/v1/receipts/lookup', receiptLookupRoutes);
app.route('/v1/receipts', receiptRoutes);
app.route('/v1', widgetRoutes);
app.route('/console', consoleRoutes);

app.onError(onError);
app.notFound(notFound);
