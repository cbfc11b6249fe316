/** How large a reply to an alert may be: far above any answer, small enough to parse at once. */
export const MAX_REPLY_MEGABYTES = 5;
export const MAX_REPLY_BYTES = MAX_REPLY_MEGABYTES * 1024 * 1024;
