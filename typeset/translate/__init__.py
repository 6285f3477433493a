"""The translators' round trip: segments out as XLIFF, PO or a translator's DOCX, translations back in.

The steps, each its own module:

- :mod:`~typeset.translate.segments` — every translatable piece of a document as a segment with a
  stable id (:mod:`~typeset.translate.state` keeps the ids of text blocks and what each
  translation was made from; :mod:`~typeset.translate.inline` turns markup into inline codes);
- :mod:`~typeset.translate.xliff`, :mod:`~typeset.translate.po`, :mod:`~typeset.translate.docx` —
  the formats, out and back in (:mod:`~typeset.translate.units`: what any of them says);
- :mod:`~typeset.translate.writeback` — an import: translations checked and written into the
  target's Markdown file, ``document.yaml`` (:mod:`~typeset.translate.yamledit`) and CSV files;
- :mod:`~typeset.translate.status` — translated, missing and stale per language;
- :mod:`~typeset.translate.commands` — what ``typeset translate export|import|status`` calls.

The command line imports these on first use; nothing here is loaded by a build.
"""
