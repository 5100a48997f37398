"""Full-text search structures, per database vendor.

PostgreSQL: a stored tsvector in each translation's language configuration
(question weighted above answer) with a GIN index, and a materialized
vocabulary of words with a trigram index for typo correction (pg_trgm).
SQLite: an FTS5 index over question and answer text, kept current by triggers.
"""

from django.db import migrations

POSTGRES_FORWARD = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    """
    CREATE OR REPLACE FUNCTION faq_search_config(language varchar) RETURNS regconfig
    LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
        SELECT CASE language
            WHEN 'ru' THEN 'pg_catalog.russian'::regconfig
            WHEN 'el' THEN 'pg_catalog.greek'::regconfig
            ELSE 'pg_catalog.english'::regconfig
        END
    $$
    """,
    """
    ALTER TABLE faq_faqtranslation ADD COLUMN search_vector tsvector
    GENERATED ALWAYS AS (
        setweight(to_tsvector(faq_search_config(language), question), 'A')
        || setweight(to_tsvector(faq_search_config(language), answer_text), 'B')
    ) STORED
    """,
    "CREATE INDEX faq_translation_search ON faq_faqtranslation USING gin (search_vector)",
    """
    CREATE MATERIALIZED VIEW faq_search_words AS
    SELECT word, ndoc FROM ts_stat(
        'SELECT to_tsvector(''simple'', question || '' '' || answer_text) FROM faq_faqtranslation'
    )
    WHERE length(word) BETWEEN 2 AND 40
    """,
    "CREATE UNIQUE INDEX faq_search_words_word ON faq_search_words (word)",
    "CREATE INDEX faq_search_words_trgm ON faq_search_words USING gin (word gin_trgm_ops)",
]
POSTGRES_BACKWARD = [
    "DROP MATERIALIZED VIEW IF EXISTS faq_search_words",
    "DROP INDEX IF EXISTS faq_translation_search",
    "ALTER TABLE faq_faqtranslation DROP COLUMN IF EXISTS search_vector",
    "DROP FUNCTION IF EXISTS faq_search_config(varchar)",
]

SQLITE_FORWARD = [
    """
    CREATE VIRTUAL TABLE faq_translation_fts USING fts5(
        question, answer_text,
        content='faq_faqtranslation', content_rowid='id',
        tokenize='unicode61 remove_diacritics 2'
    )
    """,
    """
    CREATE TRIGGER faq_translation_fts_insert AFTER INSERT ON faq_faqtranslation BEGIN
        INSERT INTO faq_translation_fts(rowid, question, answer_text)
        VALUES (new.id, new.question, new.answer_text);
    END
    """,
    """
    CREATE TRIGGER faq_translation_fts_delete AFTER DELETE ON faq_faqtranslation BEGIN
        INSERT INTO faq_translation_fts(faq_translation_fts, rowid, question, answer_text)
        VALUES ('delete', old.id, old.question, old.answer_text);
    END
    """,
    """
    CREATE TRIGGER faq_translation_fts_update AFTER UPDATE ON faq_faqtranslation BEGIN
        INSERT INTO faq_translation_fts(faq_translation_fts, rowid, question, answer_text)
        VALUES ('delete', old.id, old.question, old.answer_text);
        INSERT INTO faq_translation_fts(rowid, question, answer_text)
        VALUES (new.id, new.question, new.answer_text);
    END
    """,
]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS faq_translation_fts_update",
    "DROP TRIGGER IF EXISTS faq_translation_fts_delete",
    "DROP TRIGGER IF EXISTS faq_translation_fts_insert",
    "DROP TABLE IF EXISTS faq_translation_fts",
]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("faq", "0001_initial")]

    operations = [
        migrations.RunPython(
            _run({"postgresql": POSTGRES_FORWARD, "sqlite": SQLITE_FORWARD}),
            _run({"postgresql": POSTGRES_BACKWARD, "sqlite": SQLITE_BACKWARD}),
        )
    ]
