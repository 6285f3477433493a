"""``python -m typeset`` runs the command-line interface."""

from typeset.cli import main

main()
