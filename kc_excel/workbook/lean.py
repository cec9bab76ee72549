"""Imported first by the readers' fork server (:mod:`kc_excel.workbook.sandbox`): no test tools in readers.

pandera imports hypothesis for its optional data-synthesis strategies whenever
hypothesis is installed (a development or test install): some 0.13 s added to
the server's start-up, that is to the wait before the first file, for code a
reader never runs. The server marks it as absent, as on a user's machine;
pandera then leaves its strategies out. Only the fork server imports this module.
"""

import sys

sys.modules.setdefault("hypothesis", None)  # type: ignore[arg-type]
