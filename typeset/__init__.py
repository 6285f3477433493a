"""typeset: multilingual resolutions, declarations and open letters as PDF, DOCX and HTML.

One structured source (a folder with ``document.yaml`` and one Markdown file per language)
goes through these stages, each in its own subpackage:

1. ``source``  — read YAML, Markdown and CSV with positions; validate; lint.
2. ``model``   — the immutable, format-neutral document: languages, numbering, editions.
3. ``render``  — one module per format (``html``, ``pdf``, ``docx``) behind one registry.
4. ``batch``   — the only loop over documents x languages x formats; writes atomically.

The outside world (files, fonts, layouts, the clock) is reached only through
:class:`typeset.world.World`; ``cli`` maps errors to exit codes and holds no logic.
"""

__version__ = "0.1.0"
