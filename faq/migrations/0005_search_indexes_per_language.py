"""One GIN index per search language, of published translations only (PostgreSQL only).

A search reads one language's published translations. With a single GIN
index over every language the planner ANDs it with a scan of the language's
whole B-tree entry (~8 ms for Russian at 100k entries); an index whose
predicate is the language and ``published`` answers the match alone. Other
languages, should the desk gain one, share a last index.
"""

from django.db import migrations

# The languages faq_search_config() knows (migration 0002).
LANGUAGES = ("en", "ru", "el")
VECTORS = {"search_vector": "faq_translation_search", "question_vector": "faq_translation_question"}

_known = ", ".join(f"'{code}'" for code in LANGUAGES)
FORWARD = [
    statement
    for column, name in VECTORS.items()
    for statement in [
        *(
            f"CREATE INDEX {name}_{code} ON faq_faqtranslation USING gin ({column}) "
            f"WHERE language = '{code}' AND published"
            for code in LANGUAGES
        ),
        f"CREATE INDEX {name}_other ON faq_faqtranslation USING gin ({column}) "
        f"WHERE language NOT IN ({_known})",
        f"DROP INDEX IF EXISTS {name}",
    ]
]
BACKWARD = [
    statement
    for column, name in VECTORS.items()
    for statement in [
        f"CREATE INDEX IF NOT EXISTS {name} ON faq_faqtranslation USING gin ({column})",
        *(f"DROP INDEX IF EXISTS {name}_{code}" for code in (*LANGUAGES, "other")),
    ]
]


def _run(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for statement in statements:
                schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("faq", "0004_question_vector")]

    operations = [migrations.RunPython(_run(FORWARD), _run(BACKWARD))]
