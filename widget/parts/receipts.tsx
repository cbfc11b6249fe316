/**
 * The returning citizen: the team's answers to stories sent from this device, shown above the form
 * in the citizen's language. Loaded only when a receipt for the service is kept (storage.ts): its
 * codes go in the body of one request, and nothing is asked when none is kept.
 */
import type { Locale } from '../../shared';
import { fill, h } from '../dom';
import { keys, RECEIPT, read, store } from '../storage';

export interface ReceiptsOptions {
  endpoint: string;
  service: string;
  lang: Locale;
  /** Puts the answers above the form (null takes them away). */
  show(view: Node | null): void;
}

/** What the device keeps of a receipt, under `tellus:receipt:<service>:<code>`. */
export interface KeptReceipt {
  /** When the story was sent, and when the department deletes it (its retention): kept no longer. */
  at: number;
  until: number;
  /** The API origin the story went to: asked there only. */
  endpoint?: string;
}

interface Answered {
  receipt: string;
  answers: { text: string; change: string | null; created_at: string }[];
  department: { name: string };
  receipt_url: string;
}

const words = {
  en: {
    title: 'The team has answered your feedback',
    answered: (team: string, date: string) => `${team} answered on ${date}`,
    whatChanged: 'What changed',
    receipt: 'See your feedback and the answer',
    hide: 'Hide',
    hideWhat: 'this answer',
    forget: 'Forget feedback saved on this device',
  },
  cy: {
    title: "Mae'r tîm wedi ateb eich adborth",
    answered: (team: string, date: string) => `Atebodd ${team} ar ${date}`,
    whatChanged: 'Beth sydd wedi newid',
    receipt: "Gweld eich adborth a'r ateb",
    hide: 'Cuddio',
    hideWhat: 'yr ateb hwn',
    forget: "Anghofio adborth sydd wedi'i gadw ar y ddyfais hon",
  },
};

/** The most codes one lookup may carry (RECEIPT_LOOKUP_MAX): the newest are asked about. */
const LOOKUP_MAX = 20;

/** Every receipt this device keeps for `service` that its department still keeps too, newest first. */
function keptFor(endpoint: string, service: string): string[] {
  const prefix = `${RECEIPT}${service}:`;
  const now = Date.now();
  return keys(prefix)
    .map((key) => ({ key, kept: read<KeptReceipt>(key) }))
    .filter(({ key, kept }) => {
      if (!kept || kept.until <= now) {
        store(key);
        return false;
      }
      return !kept.endpoint || kept.endpoint === endpoint;
    })
    .sort((a, b) => (b.kept?.at ?? 0) - (a.kept?.at ?? 0))
    .map(({ key }) => key.slice(prefix.length));
}

/** Asks the worker about the kept receipts and shows those the team has answered; returns a stop. */
export function startReceipts({ endpoint, service, lang, show }: ReceiptsOptions): () => void {
  let stopped = false;
  const t = words[lang];
  const codes = keptFor(endpoint, service).slice(0, LOOKUP_MAX);
  const forget = (code: string) => store(`${RECEIPT}${service}:${code}`);

  async function lookup() {
    if (!codes.length) return;
    const res = await fetch(`${endpoint}/v1/receipts/lookup`, {
      method: 'POST',
      // As text/plain, like a story: no CORS preflight. The codes never go in a URL.
      body: JSON.stringify({ service, receipts: codes }),
    });
    if (!res.ok || stopped) return;
    const { receipts } = (await res.json()) as { receipts: Answered[] };
    // A code the worker does not know names a story that is gone (deleted by its citizen, or by
    // retention): the device forgets it too.
    const known = new Set(receipts.map((receipt) => receipt.receipt));
    for (const code of codes) if (!known.has(code)) forget(code);
    render(receipts.filter((receipt) => receipt.answers.length));
  }

  function render(answered: Answered[]) {
    if (stopped) return;
    if (!answered.length) {
      show(null);
      return;
    }
    const date = (iso: string) =>
      new Date(iso).toLocaleDateString(`${lang}-GB`, { day: 'numeric', month: 'long', year: 'numeric' });
    const list = (<div />) as Element;
    const panel = (
      <div id="answers" class="panel" tabindex="-1">
        <h3>{t.title}</h3>
        {list}
        <p>
          <button
            type="button"
            class="secondary"
            onClick={() => {
              for (const key of keys(RECEIPT)) store(key);
              const root = panel.getRootNode() as ShadowRoot;
              show(null);
              root.getElementById('heading')?.focus();
            }}
          >
            {t.forget}
          </button>
        </p>
      </div>
    ) as Element;
    let left = answered.length;
    fill(
      list,
      answered.map((receipt, index) => (
        <div id={`answer-${index}`} class="answer" tabindex="-1">
          {receipt.answers.map((answer) => [
            <p class="hint">{t.answered(receipt.department.name, date(answer.created_at))}</p>,
            <blockquote>{answer.text}</blockquote>,
            answer.change && (
              <p>
                <strong>{t.whatChanged}:</strong> {answer.change}
              </p>
            ),
          ])}
          <p>
            <a href={receipt.receipt_url}>{t.receipt}</a>
          </p>
          <p>
            <button
              type="button"
              class="secondary"
              onClick={(event: Event) => {
                forget(receipt.receipt);
                const root = panel.getRootNode() as ShadowRoot;
                // Taken out in place, so the live region does not read out the answers left again.
                (event.currentTarget as Element).closest('.answer')?.remove();
                if (!--left) show(null);
                // Focus stays near where it was: on an answer left, or on the form's heading.
                (
                  (left
                    ? list.querySelector('.answer')
                    : root.getElementById('heading')) as HTMLElement | null
                )?.focus();
              }}
            >
              {t.hide} <span class="sr">{t.hideWhat}</span>
            </button>
          </p>
        </div>
      )),
    );
    show(panel);
  }

  lookup().catch(() => {});
  return () => {
    stopped = true;
  };
}
