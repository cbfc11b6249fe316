/**
 * The personal-details check (the Canada.ca pattern): when a story has details the worker would
 * remove, the citizen sees it as it will be sent before anything leaves the device. Loaded when
 * the citizen first types, and waited for at Send.
 */

import { redactPersonalData } from '../../shared/redact';
import { h } from '../dom';
import type { Messages } from '../messages';

export const redact = redactPersonalData;

interface Props {
  t: Messages;
  /** The story as it will be sent. */
  text: string;
  /** Back to the story, to change it. */
  change: () => void;
}

/** Shown in place of the send button; its own button sends the story without the details. */
export function Check({ t, text, change }: Props): Node {
  return (
    <div id="check" class="panel check" tabindex="-1">
      <h3>{t.previewTitle}</h3>
      <p>{t.previewText}</p>
      <blockquote>{text}</blockquote>
      <button type="submit">{t.sendAnyway}</button>{' '}
      <button type="button" class="secondary" onClick={change}>
        {t.edit}
      </button>
    </div>
  );
}
