"""Builds: many documents × languages × formats into one output folder, in four steps.

1. :mod:`~typeset.batch.plan` — read and check every document that changed (errors stop only that
   document; :mod:`typeset.prepare` does the reading), plan one job per edition and format, each
   with a key of everything it depends on (:mod:`typeset.cache`), and skip those whose key and file
   are unchanged;
2. :mod:`~typeset.batch.render` — send the rest to an executor (warm worker processes by default,
   :mod:`typeset.workers`, or a Dask cluster), the costliest first;
3. :mod:`~typeset.batch.commit` — write each edition atomically to
   ``OUT/<document id>/<document id>.<lang>.<ext>`` as it arrives (after the files it needs beside
   it, such as an HTML edition's fonts); then the index, the cache and the manifest;
4. :mod:`~typeset.batch.manifest` — ``OUT/manifest.json``, every artefact of this build and of the
   earlier ones that are still there.

:func:`build` (in :mod:`~typeset.batch.loop`) runs them and returns a :class:`BuildResult`.

What a build guarantees about OUT: every file is written atomically and inside OUT (a manifest
entry, a cache entry or a folder link that leads out is refused); two documents of one build
never share an id (the second is an error); the manifest stops listing a file before that file
is written anew and lists it again once it is, and is written last — killed at any moment
(SIGKILL included), a build leaves a manifest whose every entry is true; stopped (Ctrl-C,
SIGTERM), it stops its workers and writes the manifest of what it finished.
"""

from typeset.batch.loop import BuildEvents, BuildResult, build
from typeset.batch.manifest import INDEX, MANIFEST, Artefact
from typeset.batch.render import Failure

__all__ = ["INDEX", "MANIFEST", "Artefact", "BuildEvents", "BuildResult", "Failure", "build"]
