/** Every part of the widget (parts.ts says what each holds), in the order the build makes them. */
export const PART_NAMES = ['cy', 'dialog', 'preview', 'outbox', 'turnstile', 'receipts', 'stories'] as const;
