/** One story in the console: what the citizen said, its history, and the forms to act on it. */
import { type Context, Hono } from 'hono';
import * as v from 'valibot';
import { FeedbackChange, maskedTarget, NewAnswer, type Status, SUBSCRIPTION_KIND_NAMES } from '../../shared';
import { servicesOf, storyHistory } from '../db/console';
import { findStory } from '../db/department';
import { answerStory, type Refusal, updateStory } from '../story-actions';
import { DoneBanner, type DoneMessage } from './done';
import { showFormAgain } from './form-body';
import { fieldErrors } from './form-errors';
import {
  Csrf,
  type FieldError,
  Page,
  ratingText,
  Select,
  StatusTag,
  SummaryRow,
  Table,
  Textarea,
  TextInput,
  UrgentTag,
  when,
} from './layout';
import { render } from './render';
import { type ConsoleEnv, readForm } from './session';

export const storyRoutes = new Hono<ConsoleEnv>();

type Ctx = Context<ConsoleEnv>;

type Story = NonNullable<Awaited<ReturnType<typeof findStory>>>;

const DONE: Record<string, DoneMessage> = {
  answered: {
    text: 'Your answer is saved and on its way to the citizen’s receipt and your webhooks.',
    success: true,
  },
  status: { text: 'The status is changed.', success: true },
  tags: { text: 'The tags are saved.', success: true },
  published: { text: 'The story is published.', success: true },
  unpublished: { text: 'The story is no longer published.', success: true },
};

interface Shown {
  errors?: FieldError[];
  form?: Record<string, string>;
  done?: string;
}

async function showStory(c: Ctx, story: Story, shown: Shown, status: 200 | 400 | 409 | 422 = 200) {
  const { errors = [], form = {}, done } = shown;
  const [history, services] = await Promise.all([
    storyHistory(c.var.db, story.id),
    servicesOf(c.var.db, c.var.department),
  ]);
  const service = services.find((s) => s.id === story.service);
  const moves: [Status, string][] = [
    ...(story.status === 'new'
      ? [['acknowledged', 'Acknowledged: we are looking at it'] as [Status, string]]
      : []),
    ...(story.status !== 'closed' ? [['closed', 'Closed: nothing more to do'] as [Status, string]] : []),
  ];
  return render(
    c,
    <Page title="Story" member={c.var.member} section="stories" errors={errors}>
      <a href="/console/stories" class="govuk-back-link">
        All stories
      </a>
      <DoneBanner messages={DONE} code={done} />
      <h1 class="govuk-heading-l">
        {service?.name ?? story.service}: {ratingText(story.rating)}
      </h1>
      <p class="govuk-body">
        <StatusTag status={story.status} /> {story.severity === 'urgent' ? <UrgentTag /> : null}
      </p>
      {story.severity === 'urgent' ? (
        <div class="govuk-warning-text">
          <span class="govuk-warning-text__icon" aria-hidden="true">
            !
          </span>
          <strong class="govuk-warning-text__text">
            <span class="govuk-visually-hidden">Warning</span>
            This story may describe someone at risk. Follow your department’s safeguarding process.
          </strong>
        </div>
      ) : null}
      <div class="govuk-inset-text tellus-story">
        {story.story ?? 'The citizen gave a rating without a story.'}
      </div>
      <dl class="govuk-summary-list">
        <SummaryRow name="Received">{when(story.created_at)}</SummaryRow>
        <SummaryRow name="Page">{story.page ?? 'Not given'}</SummaryRow>
        <SummaryRow name="Language">{story.locale === 'cy' ? 'Welsh' : 'English'}</SummaryRow>
        <SummaryRow name="Tags">{story.tags.length ? story.tags.join(', ') : 'None'}</SummaryRow>
        <SummaryRow name="Published">{story.published ? 'Yes' : 'No'}</SummaryRow>
      </dl>

      <h2 class="govuk-heading-m">Answers</h2>
      {history.answers.length ? (
        history.answers.map((answer) => (
          <div class="govuk-inset-text">
            <p class="govuk-body tellus-story">{answer.text}</p>
            {answer.changed ? <p class="govuk-body">We changed something: {answer.change}</p> : null}
            <p class="govuk-body-s">{when(answer.createdAt)}</p>
          </div>
        ))
      ) : (
        <p class="govuk-body">No answer yet.</p>
      )}

      {story.status === 'closed' ? (
        <p class="govuk-body">This story is closed: it cannot be answered.</p>
      ) : (
        <form method="post" action={`/console/stories/${story.id}/answers`} novalidate>
          <Csrf token={c.var.member.csrf} />
          <Textarea
            id="text"
            label={<span class="govuk-label--m">Answer the citizen</span>}
            hint="Your answer is public: the citizen sees it on their receipt, and it is shown with the story if the story is published."
            value={form.text}
            errors={errors}
          />
          <div class="govuk-form-group">
            <div class="govuk-checkboxes govuk-checkboxes--small">
              <div class="govuk-checkboxes__item">
                <input
                  class="govuk-checkboxes__input"
                  id="changed"
                  name="changed"
                  type="checkbox"
                  value="yes"
                  checked={form.changed === 'yes'}
                />
                <label class="govuk-label govuk-checkboxes__label" for="changed">
                  We changed something because of this story
                </label>
              </div>
            </div>
          </div>
          <Textarea
            id="change"
            label="What changed"
            hint="One or two sentences, if you ticked the box."
            rows={3}
            value={form.change}
            errors={errors}
          />
          <button type="submit" class="govuk-button">
            Send answer
          </button>
        </form>
      )}

      <h2 class="govuk-heading-m">Status and tags</h2>
      {moves.length ? (
        <form method="post" action={`/console/stories/${story.id}/status`} novalidate>
          <Csrf token={c.var.member.csrf} />
          <Select
            id="status"
            label="Change the status to"
            options={moves}
            value={form.status}
            errors={errors}
          />
          <button type="submit" class="govuk-button govuk-button--secondary">
            Change status
          </button>
        </form>
      ) : null}
      <form method="post" action={`/console/stories/${story.id}/tags`} novalidate>
        <Csrf token={c.var.member.csrf} />
        <TextInput
          id="tags"
          label="Tags"
          hint="Separate tags with commas, for example: bins, crew"
          value={form.tags ?? story.tags.join(', ')}
          errors={errors}
        />
        <button type="submit" class="govuk-button govuk-button--secondary">
          Save tags
        </button>
      </form>

      <h2 class="govuk-heading-m">Publishing</h2>
      {service?.publishing || story.published ? (
        <form method="post" action={`/console/stories/${story.id}/publish`} novalidate>
          <Csrf token={c.var.member.csrf} />
          <input type="hidden" name="published" value={story.published ? 'no' : 'yes'} />
          <p class="govuk-body">
            {story.published
              ? 'This story is published: anyone can read it, with your answers, where the service shows its published stories.'
              : 'Publish this story to show it, with your answers, where the service shows its published stories. Personal details were taken out before it was stored: read it again before you publish it.'}
          </p>
          <button type="submit" id="published" class="govuk-button govuk-button--secondary">
            {story.published ? 'Stop publishing' : 'Publish this story'}
          </button>
        </form>
      ) : (
        <p class="govuk-body">
          This service does not publish stories. An admin can allow it in the service’s settings.
        </p>
      )}

      <h2 class="govuk-heading-m">History</h2>
      {history.changes.length ? (
        <Table
          caption="Status changes"
          captionSize="s"
          head={['When', 'Change', 'By']}
          rows={history.changes.map((change) => [
            when(change.at),
            `${change.from} to ${change.to}`,
            change.by,
          ])}
        />
      ) : (
        <p class="govuk-body">The status has not changed since the story arrived.</p>
      )}
      {history.deliveries.length ? (
        <Table
          caption="Deliveries"
          captionSize="s"
          head={['To', 'What', 'State', 'Attempts']}
          rows={history.deliveries.map((delivery) => [
            `${SUBSCRIPTION_KIND_NAMES[delivery.kind]} ${maskedTarget(delivery.kind, delivery.target)}`,
            delivery.answerId ? 'Your answer' : 'The story',
            delivery.state === 'delivered' && delivery.deliveredAt
              ? `Delivered ${when(delivery.deliveredAt)}`
              : delivery.state,
            <ul class="govuk-list govuk-body-s">
              {history.attempts
                .filter((attempt) => attempt.deliveryId === delivery.id)
                .map((attempt) => (
                  <li>
                    {when(attempt.attemptedAt)}: {attempt.error ?? `HTTP ${attempt.status ?? 'sent'}`}
                  </li>
                ))}
            </ul>,
          ])}
        />
      ) : (
        <p class="govuk-body">No subscription took this story.</p>
      )}
    </Page>,
    status,
  );
}

async function notFound(c: Ctx) {
  return render(
    c,
    <Page title="Story not found" member={c.var.member} section="stories">
      <h1 class="govuk-heading-l">Story not found</h1>
      <p class="govuk-body">Your department has no story at this address.</p>
      <p class="govuk-body">
        <a class="govuk-link" href="/console/stories">
          All stories
        </a>
      </p>
    </Page>,
    404,
  );
}

/** Each form's action (the path's last part) and the field its errors are shown against. */
const FIELD_OF_FORM: Record<string, string> = {
  status: 'status',
  tags: 'tags',
  publish: 'published',
  answers: 'text',
};

// A form on the story page that could not be read: the page again, the error against that form.
storyRoutes.onError(
  showFormAgain<ConsoleEnv>(async (c, text) => {
    const story = await findStory(c.var.db, c.var.department, c.req.param('id') ?? '');
    if (!story) return notFound(c);
    const field = FIELD_OF_FORM[c.req.path.split('/').at(-1) ?? ''] ?? 'text';
    return showStory(c, story, { errors: [{ field, text }] }, 400);
  }),
);

storyRoutes.get('/:id', async (c) => {
  const story = await findStory(c.var.db, c.var.department, c.req.param('id'));
  if (!story) return notFound(c);
  return showStory(c, story, { done: c.req.query('done') });
});

/** A refusal of the action, shown on the story page against the field it concerns. */
async function refusal(
  c: Ctx,
  result: Refusal,
  field: string,
  form: Record<string, string>,
  status: 409 | 422 = 409,
) {
  const story = await findStory(c.var.db, c.var.department, c.req.param('id') ?? '');
  if (result.status === 404 || !story) return notFound(c);
  return showStory(c, story, { errors: [{ field, text: result.detail }], form }, status);
}

storyRoutes.post('/:id/answers', async (c) => {
  const form = await readForm(c);
  const parsed = v.safeParse(NewAnswer, {
    text: form.text ?? '',
    changed: form.changed === 'yes',
    ...(form.change?.trim() ? { change: form.change } : {}),
  });
  if (!parsed.success) {
    const story = await findStory(c.var.db, c.var.department, c.req.param('id'));
    if (!story) return notFound(c);
    const errors = fieldErrors(parsed.issues, 'text', (field) =>
      field === 'change'
        ? form.change?.trim()
          ? 'What changed must be 500 characters or fewer'
          : 'Say what changed, or untick the box'
        : form.text?.trim()
          ? 'Your answer must be 2,000 characters or fewer'
          : 'Enter your answer',
    );
    return showStory(c, story, { errors, form }, 422);
  }
  const result = await answerStory(c.env, c.var.db, actor(c), c.req.param('id'), parsed.output, (p) =>
    c.executionCtx.waitUntil(p),
  );
  if (!result.ok) return refusal(c, result, 'text', form);
  return c.redirect(`/console/stories/${c.req.param('id')}?done=answered`, 303);
});

storyRoutes.post('/:id/status', async (c) => {
  const form = await readForm(c);
  const parsed = v.safeParse(FeedbackChange, { status: form.status });
  if (!parsed.success || !parsed.output.status)
    return refusal(
      c,
      { ok: false, status: 409, detail: 'Choose a status from the list' },
      'status',
      form,
      422,
    );
  const result = await updateStory(c.var.db, actor(c), c.req.param('id'), parsed.output);
  if (!result.ok) return refusal(c, result, 'status', form);
  return c.redirect(`/console/stories/${c.req.param('id')}?done=status`, 303);
});

storyRoutes.post('/:id/tags', async (c) => {
  const form = await readForm(c);
  const tags = [
    ...new Set(
      (form.tags ?? '')
        .split(',')
        .map((tag) => tag.trim())
        .filter(Boolean),
    ),
  ];
  const parsed = v.safeParse(FeedbackChange, { tags });
  if (!parsed.success) {
    const detail =
      'Tags are up to 20 words or short phrases of letters, numbers, spaces and dashes, each up to 40 characters';
    return refusal(c, { ok: false, status: 409, detail }, 'tags', form, 422);
  }
  const result = await updateStory(c.var.db, actor(c), c.req.param('id'), parsed.output);
  if (!result.ok) return refusal(c, result, 'tags', form);
  return c.redirect(`/console/stories/${c.req.param('id')}?done=tags`, 303);
});

storyRoutes.post('/:id/publish', async (c) => {
  const form = await readForm(c);
  const published = form.published === 'yes';
  const result = await updateStory(c.var.db, actor(c), c.req.param('id'), { published });
  if (!result.ok) return refusal(c, result, 'published', form);
  return c.redirect(
    `/console/stories/${c.req.param('id')}?done=${published ? 'published' : 'unpublished'}`,
    303,
  );
});

const actor = (c: { var: ConsoleEnv['Variables'] }) => ({ department: c.var.department, by: c.var.actor });
