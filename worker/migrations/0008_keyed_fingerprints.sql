-- Fingerprints were a plain SHA-256 of the submission before redaction, from which redacted
-- details could be guessed back. They are erased; a replay of such a story is matched against
-- what is stored instead (worker/fingerprint.ts), and new ones are keyed hashes of stored text.
UPDATE `feedback` SET `fingerprint` = '' WHERE `fingerprint` <> '';
