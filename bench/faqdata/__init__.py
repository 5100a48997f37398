"""Generate a large help centre fast, and sample it for the load scenarios.

Questions and answers are built from marketplace-support vocabulary in
English, Russian and Greek, with a few thousand made-up brand names used with
a Zipf-like skew: some search terms match thousands of answers, others a
handful, as in a real help centre. Every entry has English text (the desk's
fallback); 2 in 7 also have Russian and 1 in 7 Greek, so translations are
~70 % en, ~20 % ru, ~10 % el.

Rows are written with ``bulk_create`` in batches of 5,000 entries; the
Markdown of each answer is rendered by ``faq.services.faq_translation_render``
(the same code the desk saves with) in a pool of worker processes while the
main process writes the previous batch.

The words are in ``words``, an entry's text is made in ``texts``, the help
centre is written (and counted) in ``writing`` and sampled in ``sampling``.
"""

from bench.faqdata.sampling import FaqSample, sample
from bench.faqdata.texts import EntrySeed, entry_texts, query_vocabulary
from bench.faqdata.texts import _seed as _seed  # bench.ticketdata.people draws seeds too
from bench.faqdata.words import BRANDS, CORE_TOPICS, EXTRA_TOPICS, LANGUAGE_MIX, brand_names
from bench.faqdata.writing import BATCH, EntrySpec, counts, faq_tables, generate, make_batch

__all__ = [
    "BATCH",
    "BRANDS",
    "CORE_TOPICS",
    "EXTRA_TOPICS",
    "LANGUAGE_MIX",
    "EntrySeed",
    "EntrySpec",
    "FaqSample",
    "brand_names",
    "counts",
    "entry_texts",
    "faq_tables",
    "generate",
    "make_batch",
    "query_vocabulary",
    "sample",
]
