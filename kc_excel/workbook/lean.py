"""Imported first by the readers' fork server (:mod:`kc_excel.workbook.sandbox`): a lean, quick start.

- **No test tools in readers.** pandera imports hypothesis for its optional
  data-synthesis strategies whenever hypothesis is installed (a development or
  test install): some 0.13 s of the server's start-up, that is of the wait
  before the first file, for code a reader never runs. The server marks it as
  absent, as on a user's machine; pandera then leaves its strategies out.
- **No garbage collection while importing.** What the server imports stays for
  its whole life; the collector's passes over it during the imports are wasted
  (about 0.1 s of pandas and pandera). :mod:`kc_excel.workbook.frozen`, imported
  last, freezes it all and turns the collector back on.

Only the fork server imports this module.
"""

import gc
import sys

sys.modules.setdefault("hypothesis", None)  # type: ignore[arg-type]
gc.disable()
