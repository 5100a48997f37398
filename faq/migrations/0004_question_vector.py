"""A question-only search vector for suggestions as you type (PostgreSQL only).

Prefix matching on the question alone, without weight rechecks against the
larger question-and-answer vector.
"""

from django.db import migrations

FORWARD = [
    """
    ALTER TABLE faq_faqtranslation ADD COLUMN question_vector tsvector
    GENERATED ALWAYS AS (to_tsvector(faq_search_config(language), question)) STORED
    """,
    "CREATE INDEX faq_translation_question ON faq_faqtranslation USING gin (question_vector)",
]
BACKWARD = [
    "DROP INDEX IF EXISTS faq_translation_question",
    "ALTER TABLE faq_faqtranslation DROP COLUMN IF EXISTS question_vector",
]


def _run(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for statement in statements:
                schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("faq", "0003_entry_order_indexes")]

    operations = [migrations.RunPython(_run(FORWARD), _run(BACKWARD))]
