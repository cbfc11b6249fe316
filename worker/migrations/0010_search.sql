-- Word search over stories and their answers (SQLite FTS5; queried in worker/db/search.ts).
-- One search document a story: its words and its answers' words. The documents table gives each
-- story a stable integer key for the index, and holds exactly what was indexed, so the index can
-- always be told what to remove. Triggers keep both in step with feedback and answers in the same
-- statement, so a deleted story leaves the index at once. unicode61 folds case and, with
-- remove_diacritics 2, lets ŵ, ŷ, â and the other Welsh accents match plain letters. No porter
-- stemming: its English rules would also cut Welsh words, and a stemmed index breaks matching the
-- start of a word ("generat" would miss "generation", kept as "gener").
CREATE TABLE `search_documents` (
	`id` integer PRIMARY KEY,
	`feedback_id` text NOT NULL UNIQUE,
	`story` text DEFAULT '' NOT NULL,
	`answers` text DEFAULT '' NOT NULL
);
--> statement-breakpoint
CREATE VIRTUAL TABLE `story_search` USING fts5(
	story,
	answers,
	content = 'search_documents',
	content_rowid = 'id',
	tokenize = 'unicode61 remove_diacritics 2'
);
--> statement-breakpoint
CREATE TRIGGER `search_documents_insert` AFTER INSERT ON `search_documents` BEGIN
	INSERT INTO story_search (rowid, story, answers) VALUES (new.id, new.story, new.answers);
END;
--> statement-breakpoint
CREATE TRIGGER `search_documents_delete` AFTER DELETE ON `search_documents` BEGIN
	INSERT INTO story_search (story_search, rowid, story, answers) VALUES ('delete', old.id, old.story, old.answers);
END;
--> statement-breakpoint
CREATE TRIGGER `search_documents_update` AFTER UPDATE ON `search_documents` BEGIN
	INSERT INTO story_search (story_search, rowid, story, answers) VALUES ('delete', old.id, old.story, old.answers);
	INSERT INTO story_search (rowid, story, answers) VALUES (new.id, new.story, new.answers);
END;
--> statement-breakpoint
CREATE TRIGGER `feedback_search_insert` AFTER INSERT ON `feedback` BEGIN
	INSERT INTO search_documents (feedback_id, story) VALUES (new.id, coalesce(new.story, ''));
END;
--> statement-breakpoint
CREATE TRIGGER `feedback_search_update` AFTER UPDATE OF `story` ON `feedback` BEGIN
	UPDATE search_documents SET story = coalesce(new.story, '') WHERE feedback_id = new.id;
END;
--> statement-breakpoint
CREATE TRIGGER `feedback_search_delete` AFTER DELETE ON `feedback` BEGIN
	DELETE FROM search_documents WHERE feedback_id = old.id;
END;
--> statement-breakpoint
CREATE TRIGGER `answers_search_insert` AFTER INSERT ON `answers` BEGIN
	UPDATE search_documents
	SET answers = (SELECT group_concat(text, char(10)) FROM answers WHERE feedback_id = new.feedback_id)
	WHERE feedback_id = new.feedback_id;
END;
--> statement-breakpoint
CREATE TRIGGER `answers_search_update` AFTER UPDATE OF `text` ON `answers` BEGIN
	UPDATE search_documents
	SET answers = (SELECT group_concat(text, char(10)) FROM answers WHERE feedback_id = new.feedback_id)
	WHERE feedback_id = new.feedback_id;
END;
--> statement-breakpoint
CREATE TRIGGER `answers_search_delete` AFTER DELETE ON `answers` BEGIN
	UPDATE search_documents
	SET answers = coalesce((SELECT group_concat(text, char(10)) FROM answers WHERE feedback_id = old.feedback_id), '')
	WHERE feedback_id = old.feedback_id;
END;
--> statement-breakpoint
-- The stories stored before search, with their answers; the insert trigger indexes each.
INSERT INTO search_documents (feedback_id, story, answers)
SELECT
	f.id,
	coalesce(f.story, ''),
	coalesce((SELECT group_concat(a.text, char(10)) FROM answers a WHERE a.feedback_id = f.id), '')
FROM feedback f;
